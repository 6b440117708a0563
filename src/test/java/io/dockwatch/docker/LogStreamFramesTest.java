package io.dockwatch.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The entry cutter on its edges: a TTY that never prints a newline, pieces at Docker's cut sizes,
 * layouts no driver makes, hostile frame headers; fed in reads of any size, with the buffer bounded.
 */
class LogStreamFramesTest {
    private static final String TS = "2026-12-02T08:46:22.788278322Z ";
    private static final String TS2 = "2026-12-02T08:46:23.000000001Z ";

    private record Entry(int stream, String text) {
    }

    /** Feeds the bytes in reads of {@code readSize}; returns the entries and the largest buffer seen. */
    private static List<Entry> feed(LogStreamFrames f, List<Entry> out, byte[] data, int readSize, int[] maxBuffer)
            throws IOException {
        int pos = 0;
        while (pos < data.length) {
            byte[] buf = f.buffer();
            maxBuffer[0] = Math.max(maxBuffer[0], buf.length);
            int off = f.writeOffset();
            int n = Math.min(Math.min(readSize, data.length - pos), buf.length - off);
            System.arraycopy(data, pos, buf, off, n);
            f.parse(n);
            pos += n;
        }
        f.finish();
        return out;
    }

    private static List<Entry> tty(byte[] data, int readSize, int[] maxBuffer) throws IOException {
        List<Entry> out = new ArrayList<>();
        LogStreamFrames f = new LogStreamFrames(true, (s, b, o, l) -> out.add(new Entry(s, new String(b, o, l, StandardCharsets.ISO_8859_1))));
        return feed(f, out, data, readSize, maxBuffer);
    }

    private static byte[] bytes(String... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String p : parts) {
            b.writeBytes(p.getBytes(StandardCharsets.ISO_8859_1));
        }
        return b.toByteArray();
    }

    /** What Engine 20.10 sends for a TTY printing {@code total} bytes of 'y' and no newline, then exiting. */
    private static List<String> dockerTtyFlood(int total) {
        List<String> entries = new ArrayList<>();
        for (int left = total; left > 0; left -= LogStreamFrames.DOCKER_CHUNK_BYTES) {
            entries.add(TS + "y".repeat(Math.min(left, LogStreamFrames.DOCKER_CHUNK_BYTES)));
        }
        return entries;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 31, 4096, 16415, 300_000})
    void aTtyThatNeverPrintsANewlineComesOutAsDockersOwnEntriesWithABoundedBuffer(int readSize) throws IOException {
        List<String> expected = dockerTtyFlood(40 * LogStreamFrames.DOCKER_CHUNK_BYTES + 1234);
        int[] maxBuffer = {0};

        List<Entry> entries = tty(bytes(expected.toArray(String[]::new)), readSize, maxBuffer);

        assertThat(entries).extracting(Entry::text).containsExactlyElementsOf(expected);
        assertThat(entries).extracting(Entry::stream).containsOnly(LogStreamFrames.TTY);
        // never more than one entry and a read's room, whatever the total
        assertThat(maxBuffer[0]).isLessThanOrEqualTo(2 * LogStreamFrames.DOCKER_CHUNK_BYTES + 2 * LogStreamFrames.MIN_FREE_BYTES
                + Math.min(readSize, 300_000));
    }

    @Test
    void aTtyLineEndsAtItsNewlineAndAPieceOfASplitLineWhereTheNextTimestampIs() throws IOException {
        String chunk = "y".repeat(LogStreamFrames.DOCKER_CHUNK_BYTES);
        // a split line ends in a newline in its last piece (as "echo" ends it), then a short line
        byte[] data = bytes(TS + chunk, TS + "rest\r\n", TS2 + "short\r\n");

        assertThat(tty(data, 1000, new int[1])).extracting(Entry::text)
                .containsExactly(TS + chunk, TS + "rest\r\n", TS2 + "short\r\n");
    }

    @Test
    void aTimestampThatAContainerPrintsInsideALineIsNotACut() throws IOException {
        // a container may print text shaped like Docker's timestamp: only at a cut is it one
        String line = TS + "x".repeat(100) + TS2 + "x".repeat(LogStreamFrames.DOCKER_CHUNK_BYTES - 100 - TS2.length()) + "\r\n";

        assertThat(tty(bytes(line), 4096, new int[1])).extracting(Entry::text).containsExactly(line);
    }

    @Test
    void theLocalDriversMegabytePiecesAreCutAtTheirOwnSize() throws IOException {
        String piece = TS + "z".repeat(LogStreamFrames.LOCAL_DRIVER_CHUNK_BYTES);
        byte[] data = bytes(piece, piece, TS2 + "end\r\n");

        assertThat(tty(data, 64 * 1024, new int[1])).extracting(Entry::text).containsExactly(piece, piece, TS2 + "end\r\n");
    }

    @Test
    void aLayoutNoDriverMakesIsHandedOverAtTheBoundInsteadOfGrowingTheBuffer() throws IOException {
        // no newline, and no timestamp where any driver would cut: 3 MB of one entry
        int total = 3 * LogStreamFrames.LOCAL_DRIVER_CHUNK_BYTES + 5;
        int[] maxBuffer = {0};

        List<Entry> entries = tty(bytes(TS + "q".repeat(total)), 64 * 1024, maxBuffer);

        assertThat(entries).extracting(e -> e.text().length())
                // the last: what is left when the stream ends, too short to tell whether a cut follows
                .containsExactly(TS.length() + LogStreamFrames.LOCAL_DRIVER_CHUNK_BYTES, LogStreamFrames.LOCAL_DRIVER_CHUNK_BYTES,
                        LogStreamFrames.LOCAL_DRIVER_CHUNK_BYTES + 5);
        assertThat(entries.stream().mapToInt(e -> e.text().length()).sum()).isEqualTo(TS.length() + total);
        assertThat(maxBuffer[0]).isLessThanOrEqualTo(LogStreamFrames.MAX_ENTRY_BYTES + LogStreamFrames.MIN_FREE_BYTES);
    }

    @Test
    void aServiceLogsTtyEntryCarriesItsDetailsBeforeTheMessage() throws IOException {
        String details = "com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t1 ";
        String piece = TS + details + "d".repeat(LogStreamFrames.DOCKER_CHUNK_BYTES);
        byte[] data = bytes(piece, TS + details + "tail\r\n");
        List<Entry> out = new ArrayList<>();
        LogStreamFrames f = new LogStreamFrames(true, true, (s, b, o, l) -> out.add(new Entry(s, new String(b, o, l, StandardCharsets.ISO_8859_1))));

        feed(f, out, data, 777, new int[1]);

        assertThat(out).extracting(Entry::text).containsExactly(piece, TS + details + "tail\r\n");
    }

    private static byte[] frameHeader(int stream, long size) {
        return new byte[] {(byte) stream, 0, 0, 0, (byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size};
    }

    @ParameterizedTest
    @ValueSource(longs = {0x7fff_ffffL, 0xffff_ffffL, LogStreamFrames.MAX_ENTRY_BYTES + 1L})
    void aFrameHeaderClaimingMoreThanAnyDriverSendsFailsTheReadWithoutGrowingTheBuffer(long size) {
        List<Entry> out = new ArrayList<>();
        LogStreamFrames f = new LogStreamFrames(false, (s, b, o, l) -> out.add(new Entry(s, "")));
        byte[] data = bytes(new String(frameHeader(1, 4), StandardCharsets.ISO_8859_1) + "ok\r\n",
                new String(frameHeader(1, size), StandardCharsets.ISO_8859_1) + "x".repeat(100_000));
        int[] maxBuffer = {0};

        assertThatThrownBy(() -> feed(f, out, data, 4096, maxBuffer)).isInstanceOf(IOException.class)
                .hasMessageContaining(String.valueOf(size)).hasMessageContaining("not a Docker log stream");
        assertThat(out).hasSize(1); // what came before it was handed over
        assertThat(maxBuffer[0]).isLessThan(256 * 1024);
    }

    @Test
    void framesOfEverySizeUpToTheBoundComeOutWhole() throws IOException {
        List<Entry> out = new ArrayList<>();
        LogStreamFrames f = new LogStreamFrames(false, (s, b, o, l) -> out.add(new Entry(s, new String(b, o, l, StandardCharsets.ISO_8859_1))));
        String big = "b".repeat(LogStreamFrames.MAX_ENTRY_BYTES);
        byte[] data = bytes(new String(frameHeader(2, 0), StandardCharsets.ISO_8859_1),
                new String(frameHeader(1, big.length()), StandardCharsets.ISO_8859_1) + big,
                new String(frameHeader(1, 3), StandardCharsets.ISO_8859_1) + "end");

        feed(f, out, data, 50_000, new int[1]);

        assertThat(out).containsExactly(new Entry(LogStreamFrames.STDERR, ""), new Entry(LogStreamFrames.STDOUT, big),
                new Entry(LogStreamFrames.STDOUT, "end"));
    }
}
