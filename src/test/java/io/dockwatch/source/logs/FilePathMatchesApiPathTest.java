package io.dockwatch.source.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.dockwatch.source.logs.file.JsonFileLog;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One container's log recorded both ways in the same run (Engine 20.10: its json-file, and the
 * logs API's answer with timestamps=1): the file path must give exactly the lines, streams,
 * timestamps and checkpoint positions the API path gives, so either resumes where the other left.
 */
class FilePathMatchesApiPathTest {
    record Line(String stream, String ts, String message, String safeTs, int safeCount) {
    }

    @TempDir
    Path dir;

    private static byte[] fixture(String name) throws Exception {
        try (InputStream in = FilePathMatchesApiPathTest.class.getResourceAsStream("/docker-api/engine-20.10/" + name)) {
            return in.readAllBytes();
        }
    }

    private static List<Line> api(String kind, boolean tty, LogPosition resume) throws Exception {
        List<Line> lines = new ArrayList<>();
        LogEntryParser p = new LogEntryParser(tty, LogFollower.MAX_LINE_BYTES,
                (s, ts, m, safeTs, n) -> lines.add(new Line(s, ts, new String(m, StandardCharsets.UTF_8), safeTs, n)));
        if (resume != null) {
            p.resumeAt(resume.ts(), resume.count());
        }
        feed(p, fixture("logs-" + kind + "-same-run.bin"));
        return lines;
    }

    /** A recorded logs API answer through the API path's parser, to its end. */
    static void feed(LogEntryParser p, byte[] data) throws java.io.IOException {
        int off = 0;
        while (off < data.length) {
            byte[] buf = p.buffer();
            int w = p.writeOffset();
            int n = Math.min(buf.length - w, data.length - off);
            System.arraycopy(data, off, buf, w, n);
            off += n;
            p.parse(n);
        }
        p.finish();
    }

    private List<Line> file(String kind, boolean tty, LogPosition resume) throws Exception {
        Path live = dir.resolve("0123abcd-json.log");
        Files.write(live, fixture("json-file-" + kind + ".log"));
        List<Line> lines = new ArrayList<>();
        JsonFileLog.Start start = resume == null ? JsonFileLog.Start.all() : JsonFileLog.Start.after(resume.ts(), resume.count());
        try (JsonFileLog log = JsonFileLog.open(live, tty, LogFollower.MAX_LINE_BYTES, start,
                (s, ts, m, safeTs, n) -> lines.add(new Line(s, ts, new String(m, StandardCharsets.UTF_8), safeTs, n)))) {
            while (log.read(1 << 20) > 0) {
                // until caught up
            }
            log.finish();
            assertThat(log.skippedBroken()).isZero();
        }
        return lines;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mux", "tty"})
    void theSameLinesAndPositionsAsTheApi(String kind) throws Exception {
        boolean tty = kind.equals("tty");
        List<Line> fromApi = api(kind, tty, null);
        List<Line> fromFile = file(kind, tty, null);
        assertThat(fromFile).isEqualTo(fromApi);
        assertThat(fromFile).extracting(Line::message).contains("a".repeat(20000), "b".repeat(16384), "q\"\\\t<\u0001é",
                "last-no-newline");
        assertThat(fromFile).extracting(Line::stream).containsOnly(tty ? "tty" : "stdout", tty ? "tty" : "stderr");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void aCheckpointOfOnePathResumesOnTheOther(int after) throws Exception {
        List<Line> all = api("mux", false, null);
        Line l = all.get(after - 1);
        LogPosition pos = new LogPosition(l.safeTs(), l.safeCount(), null);
        List<Line> rest = all.subList(after, all.size());
        assertThat(file("mux", false, pos)).as("file path after the API's position").isEqualTo(rest);
        assertThat(api("mux", false, pos)).as("API path after the same position").isEqualTo(rest);
    }
}
