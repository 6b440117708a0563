package io.dockwatch.source.logs.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local driver's frames written here as moby's local.go writes them (length, LogEntry,
 * length), rotated as loggerutils does: an entry being written is not read half, damage is
 * skipped once and reading goes on, the held file is followed through compression.
 */
class LocalLogTest {
    private static final long T0 = 1_796_229_092_000_000_000L;

    @TempDir
    Path dir;
    private final List<String> got = new ArrayList<>();
    private final List<String> damaged = new ArrayList<>();
    private int next = 1;

    private Path live() throws Exception {
        return Files.createDirectories(dir.resolve("containers/c0ffee/local-logs")).resolve("container.log");
    }

    /** A LogEntry in protobuf: 1 source, 2 time_nano, 3 line, 4 partial, 5 {1 last, 2 id, 3 ordinal}. */
    static byte[] frame(String source, long timeNano, byte[] line, Boolean partialLast) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        bytesField(e, 1, source.getBytes(StandardCharsets.US_ASCII));
        e.write(2 << 3);
        varint(e, timeNano);
        if (line.length > 0) {
            bytesField(e, 3, line);
        }
        if (partialLast != null) {
            e.write(4 << 3);
            e.write(1);
            ByteArrayOutputStream md = new ByteArrayOutputStream();
            if (partialLast) {
                md.write(1 << 3);
                md.write(1);
            }
            bytesField(md, 2, "id".getBytes(StandardCharsets.US_ASCII));
            bytesField(e, 5, md.toByteArray());
        }
        byte[] body = e.toByteArray();
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(length(body.length));
        f.writeBytes(body);
        f.writeBytes(length(body.length));
        return f.toByteArray();
    }

    private static byte[] length(int n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    private static void bytesField(ByteArrayOutputStream o, int field, byte[] b) {
        o.write(field << 3 | 2);
        varint(o, b.length);
        o.writeBytes(b);
    }

    private static void varint(ByteArrayOutputStream o, long v) {
        while ((v & ~0x7FL) != 0) {
            o.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        o.write((int) v);
    }

    /** n entries "1", "2", ...; returns their bytes. */
    private byte[] entries(int n) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++, next++) {
            o.writeBytes(frame("stdout", T0 + next * 1000L, Integer.toString(next).getBytes(StandardCharsets.US_ASCII), null));
        }
        return o.toByteArray();
    }

    private void write(byte[] b) throws Exception {
        Files.write(live(), b, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private LocalLog open(JsonFileLog.Start start) throws Exception {
        return LocalLog.open(live(), false, 1 << 20, start, (s, ts, m, safeTs, n) -> got.add(new String(m, StandardCharsets.UTF_8)),
                damaged::add);
    }

    private static void drain(LocalLog log) throws Exception {
        while (log.read(1 << 20) > 0) {
            // caught up
        }
    }

    private List<String> numbers(int from, int to) {
        List<String> l = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            l.add(Integer.toString(i));
        }
        return l;
    }

    @Test
    void anEntryBeingWrittenIsReadOnlyOnceItIsWhole() throws Exception {
        byte[] all = entries(3);
        byte[] more = entries(1);
        write(all);
        write(Arrays.copyOf(more, 5)); // its length and one byte so far
        try (LocalLog log = open(JsonFileLog.Start.all())) {
            drain(log);
            assertThat(got).isEqualTo(numbers(1, 3));
            write(Arrays.copyOfRange(more, 5, more.length - 2)); // all but part of its trailer
            drain(log);
            assertThat(got).isEqualTo(numbers(1, 3));
            write(Arrays.copyOfRange(more, more.length - 2, more.length));
            drain(log);
        }
        assertThat(got).isEqualTo(numbers(1, 4));
        assertThat(damaged).isEmpty();
    }

    @Test
    void aDamagedPlaceIsSkippedOnceAndReadingGoesOn() throws Exception {
        write(entries(10));
        byte[] bad = entries(1); // "11", its trailer made to disagree
        bad[bad.length - 1] ^= 0x55;
        write(bad);
        write("garbage without any frame in it, and a zero length: \0\0\0\0 and a huge one \u007f\u00ff\u00ff\u00ff".getBytes(StandardCharsets.ISO_8859_1));
        write(entries(10));
        try (LocalLog log = open(JsonFileLog.Start.all())) {
            drain(log);
            assertThat(log.skippedBroken()).isEqualTo(1);
        }
        List<String> want = numbers(1, 10);
        want.addAll(numbers(12, 21));
        assertThat(got).isEqualTo(want);
        assertThat(damaged).hasSize(1).allMatch(d -> d.contains("c0ffee"));
    }

    @Test
    void aFileOfNothingButGarbageEndsWithoutALoop() throws Exception {
        byte[] junk = new byte[3 * 1024 * 1024];
        new java.util.Random(14).nextBytes(junk);
        write(junk);
        try (LocalLog log = open(JsonFileLog.Start.all())) {
            int reads = 0;
            while (log.read(1 << 20) > 0) {
                reads++;
            }
            assertThat(reads).isLessThanOrEqualTo(4);
            log.finish();
        }
        assertThat(got).isEmpty();
        assertThat(damaged).isNotEmpty();
        assertThat(LocalLog.looksLikeLocalFormat(live())).isFalse();
    }

    @Test
    void partialEntriesAreJoinedUpToTheLastPiece() throws Exception {
        byte[] piece = new byte[16 * 1024];
        Arrays.fill(piece, (byte) 'x');
        write(frame("stderr", T0, piece, false));
        write(frame("stdout", T0 + 1, "between".getBytes(StandardCharsets.US_ASCII), null));
        write(frame("stderr", T0, piece, false));
        write(frame("stderr", T0, new byte[0], true)); // the last piece, empty: the line was exactly 32 KiB
        write(frame("stdout", T0 + 2, "unended".getBytes(StandardCharsets.US_ASCII), false));
        List<String> streams = new ArrayList<>();
        try (LocalLog log = LocalLog.open(live(), false, 1 << 20, JsonFileLog.Start.all(),
                (s, ts, m, safeTs, n) -> streams.add(s + " " + m.length + " " + ts), damaged::add)) {
            drain(log);
            log.finish();
        }
        assertThat(streams).containsExactly("stdout 7 2026-12-02T16:31:32.000000001Z", "stderr 32768 2026-12-02T16:31:32.000000000Z",
                "stdout 7 2026-12-02T16:31:32.000000002Z");
    }

    /** loggerutils with compress: live → .1, the older .N.gz up one, then .1 → .1.gz (header: last time) and .1 deleted. */
    private void rotateCompressed(String lastTime) throws Exception {
        Path folder = live().getParent();
        for (int i = 9; i >= 1; i--) {
            Path from = folder.resolve("container.log." + i + ".gz");
            if (Files.exists(from)) {
                Files.move(from, folder.resolve("container.log." + (i + 1) + ".gz"));
            }
        }
        Path one = folder.resolve("container.log.1");
        Files.move(live(), one);
        Files.write(folder.resolve("container.log.1.gz"), JsonFileLogTest.gzipWithLastTime(Files.readAllBytes(one), lastTime));
        Files.delete(one);
    }

    private String lastTime() {
        return Timestamps.fixed(java.time.Instant.ofEpochSecond(0, T0 + (next - 1) * 1000L));
    }

    @Test
    void aReaderHoldingTheRotatedFileGoesOnThroughCompressionWithoutARepeat() throws Exception {
        write(entries(100));
        try (LocalLog log = open(JsonFileLog.Start.all())) {
            drain(log);
            write(entries(50)); // written, not yet read, then rotated away
            rotateCompressed(lastTime());
            write(entries(70));
            rotateCompressed(lastTime()); // twice over: the one held is now .2.gz
            write(entries(30));
            drain(log);
        }
        assertThat(got).isEqualTo(numbers(1, 250));
        assertThat(damaged).isEmpty();
    }

    @Test
    void checkpointsInsideCompressedFilesAndTailResumeThere() throws Exception {
        write(entries(100));
        rotateCompressed(lastTime());
        write(entries(100));
        rotateCompressed(lastTime());
        write(entries(100));
        List<String> positions = new ArrayList<>();
        try (LocalLog log = LocalLog.open(live(), false, 1 << 20, JsonFileLog.Start.all(), (s, ts, m, safeTs, n) -> positions.add(safeTs + " " + n),
                damaged::add)) {
            drain(log);
        }
        assertThat(positions).hasSize(300);
        for (int after : new int[] {1, 100, 150, 200, 299}) {
            got.clear();
            String[] p = positions.get(after - 1).split(" ");
            try (LocalLog log = open(JsonFileLog.Start.after(p[0], Integer.parseInt(p[1])))) {
                drain(log);
            }
            assertThat(got).as("after %d", after).isEqualTo(numbers(after + 1, 300));
        }
        got.clear();
        try (LocalLog log = open(JsonFileLog.Start.tail(150))) {
            drain(log);
        }
        assertThat(got).isEqualTo(numbers(151, 300));
    }

    @Test
    void theChainFindsLastTimesAndCountsOfLocalFiles() throws Exception {
        write(entries(40));
        String last = lastTime();
        rotateCompressed(last);
        byte[] more = entries(5);
        write(more);
        LogFileChain chain = LogFileChain.list(live(), LocalLog.FORMAT);
        assertThat(chain.size()).isEqualTo(2);
        assertThat(chain.lastTimestamp(0)).isEqualTo(last);
        assertThat(chain.lastTimestamp(1)).isEqualTo(lastTime());
        assertThat(chain.countEntries(0)).isEqualTo(40);
        assertThat(chain.countEntries(1)).isEqualTo(5);
        assertThat(LocalLog.lastTimeIn(Arrays.copyOf(more, more.length - 1))).as("the live file ends inside an entry").isNull();
        assertThat(LocalLog.countEntries(new ByteArrayInputStream(Arrays.copyOf(more, more.length - 1)))).isEqualTo(4);
        assertThat(LocalLog.looksLikeLocalFormat(live())).isTrue();
    }
}
