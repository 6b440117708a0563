package io.dockwatch.source.logs.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker's rotation done by hand the way moby's loggerutils does it: rename, compress with the last time in the header. */
class JsonFileLogTest {
    @TempDir
    Path dir;
    private final List<String> got = new ArrayList<>();
    private String lastSafe;
    private int lastCount;
    private int next = 1;

    private Path live() {
        return dir.resolve("cafe-json.log");
    }

    /** n entries "1", "2", ... with increasing timestamps; returns the last one's time. */
    private String append(Path p, int n) throws Exception {
        StringBuilder sb = new StringBuilder();
        String time = null;
        for (int i = 0; i < n; i++, next++) {
            // Go's RFC3339Nano trims trailing zeros: every tenth entry has a short fraction
            time = String.format("2026-12-02T10:00:%02d.%09dZ", next / 1_000_000, next % 1_000_000 * 1000).replaceAll("0+Z$", "Z");
            sb.append("{\"log\":\"").append(next).append("\\n\",\"stream\":\"stdout\",\"time\":\"").append(time).append("\"}\n");
        }
        Files.writeString(p, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return time;
    }

    private JsonFileLog open(JsonFileLog.Start start) throws Exception {
        return JsonFileLog.open(live(), false, 1 << 20, start, (s, ts, m, safeTs, n) -> {
            got.add(new String(m, StandardCharsets.UTF_8));
            lastSafe = safeTs;
            lastCount = n;
        });
    }

    private static void drain(JsonFileLog log) throws Exception {
        while (log.read(1 << 20) > 0) {
            // caught up
        }
    }

    /** moby's rotate with compress=true: .N.gz move up, live → .1, then .1 → .1.gz with {"lastTime"} in the header. */
    private void rotateCompressed(String lastTime) throws Exception {
        for (int i = 9; i >= 1; i--) {
            Path from = dir.resolve("cafe-json.log." + i + ".gz");
            if (Files.exists(from)) {
                Files.move(from, dir.resolve("cafe-json.log." + (i + 1) + ".gz"));
            }
        }
        Path one = dir.resolve("cafe-json.log.1");
        Files.move(live(), one);
        Files.write(dir.resolve("cafe-json.log.1.gz"), gzipWithLastTime(Files.readAllBytes(one), lastTime));
        Files.delete(one);
    }

    static byte[] gzipWithLastTime(byte[] data, String lastTime) {
        byte[] extra = ("{\"lastTime\":\"" + lastTime + "\"}").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 4, 0, 0, 0, 0, 0, (byte) 0xff}, 0, 10);
        out.write(extra.length & 0xff);
        out.write(extra.length >> 8);
        out.write(extra, 0, extra.length);
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        byte[] buf = new byte[64 * 1024];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        long c = crc.getValue();
        for (long v : new long[] {c, data.length}) {
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >> (8 * i)) & 0xff);
            }
        }
        return out.toByteArray();
    }

    private List<String> numbers(int from, int to) {
        List<String> l = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            l.add(Integer.toString(i));
        }
        return l;
    }

    @Test
    void aReaderHoldingTheRotatedFileGoesOnThroughCompressionWithoutARepeat() throws Exception {
        append(live(), 100);
        try (JsonFileLog log = open(JsonFileLog.Start.all())) {
            drain(log);
            String last = append(live(), 50); // written, not yet read, then rotated away
            rotateCompressed(last);
            String last2 = append(live(), 70);
            rotateCompressed(last2); // twice over: the one we hold is now .2.gz
            append(live(), 30);
            drain(log);
        }
        assertThat(got).isEqualTo(numbers(1, 250));
    }

    @Test
    void aCheckpointInsideACompressedFileResumesThere() throws Exception {
        rotateCompressed(append(live(), 100));
        rotateCompressed(append(live(), 100));
        append(live(), 100);
        try (JsonFileLog log = open(JsonFileLog.Start.all())) {
            drain(log);
        }
        assertThat(got).isEqualTo(numbers(1, 300));
        // a checkpoint taken after line 150, in the older of the two .gz files
        got.clear();
        String ts150;
        List<String> seen = new ArrayList<>();
        try (JsonFileLog log = JsonFileLog.open(live(), false, 1 << 20, JsonFileLog.Start.all(), (s, ts, m, safeTs, n) -> seen.add(safeTs + " " + n))) {
            drain(log);
        }
        ts150 = seen.get(149);
        try (JsonFileLog log = open(JsonFileLog.Start.after(ts150.split(" ")[0], Integer.parseInt(ts150.split(" ")[1])))) {
            drain(log);
        }
        assertThat(got).isEqualTo(numbers(151, 300));
        assertThat(lastSafe).endsWith("Z").hasSize(30); // fixed nine digits, as the API writes them
        assertThat(lastCount).isEqualTo(1);
    }

    @Test
    void tailStartsAtTheLastEntriesAcrossFiles() throws Exception {
        rotateCompressed(append(live(), 100));
        append(live(), 20);
        try (JsonFileLog log = open(JsonFileLog.Start.tail(50))) {
            drain(log);
        }
        assertThat(got).isEqualTo(numbers(71, 120));
    }

    @Test
    void timestampsComeOutInDockersFixedForm() {
        assertThat(fixed("2026-12-02T09:11:39.7418Z")).isEqualTo("2026-12-02T09:11:39.741800000Z");
        assertThat(fixed("2026-12-02T09:11:39Z")).isEqualTo("2026-12-02T09:11:39.000000000Z");
        assertThat(fixed("2026-12-02T09:11:39.741880385Z")).isEqualTo("2026-12-02T09:11:39.741880385Z");
        assertThat(fixed("2026-12-02T10:11:39.5+01:00")).isEqualTo("2026-12-02T09:11:39.500000000Z");
        assertThat(fixed("not a time")).isNull();
    }

    private static String fixed(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return Timestamps.fixed(b, 0, b.length);
    }

    @Test
    void escapesDecodeToUtf8() {
        byte[] in = "a\\\"b\\\\c\\u003c\\u00e9\\ud83d\\ude00\\ud800x\\n".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[in.length];
        int n = JsonText.unescape(in, 0, in.length, out);
        assertThat(new String(out, 0, n, StandardCharsets.UTF_8)).isEqualTo("a\"b\\c<é\uD83D\uDE00\uFFFDx\n");
    }
}
