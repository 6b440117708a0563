package io.dockwatch.source.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.dockwatch.source.logs.file.JsonFileLog;
import io.dockwatch.source.logs.file.LocalLog;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The local log driver's files and the logs API's answer for the same container, recorded from
 * Engine 20.10 and 28.5 (scripts/record-local-log-fixtures.sh): the file path must give exactly the
 * lines, streams, timestamps and checkpoint positions the API path gives, across rotated .gz files
 * too, so that either resumes where the other left off.
 */
class LocalFilePathMatchesApiPathTest {
    record Line(String stream, String ts, String message, String safeTs, int safeCount) {
    }

    @TempDir
    Path dir;

    private static byte[] fixture(String engine, String name) throws Exception {
        try (InputStream in = LocalFilePathMatchesApiPathTest.class.getResourceAsStream("/docker-api/engine-" + engine + "/" + name)) {
            if (in == null) {
                return null;
            }
            return in.readAllBytes();
        }
    }

    private static List<Line> api(String engine, String kind, boolean tty, LogPosition resume) throws Exception {
        List<Line> lines = new ArrayList<>();
        LogEntryParser p = new LogEntryParser(tty, LogFollower.MAX_LINE_BYTES,
                (s, ts, m, safeTs, n) -> lines.add(new Line(s, ts, new String(m, StandardCharsets.UTF_8), safeTs, n)));
        if (resume != null) {
            p.resumeAt(resume.ts(), resume.count());
        }
        FilePathMatchesApiPathTest.feed(p, fixture(engine, "logs-local-" + kind + "-same-run.bin"));
        return lines;
    }

    /** The container's recorded files put where the local driver keeps them, the live file's path returned. */
    private Path files(String engine, String kind) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("containers").resolve("c0ffee" + kind).resolve("local-logs"));
        for (String suffix : new String[] {"", ".1", ".1.gz", ".2.gz", ".3.gz"}) {
            byte[] b = fixture(engine, "local-" + kind + ".container.log" + suffix);
            if (b != null) {
                Files.write(folder.resolve("container.log" + suffix), b);
            }
        }
        return folder.resolve("container.log");
    }

    private List<Line> file(String engine, String kind, boolean tty, LogPosition resume, int readSize) throws Exception {
        Path live = files(engine, kind);
        List<Line> lines = new ArrayList<>();
        List<String> damaged = new ArrayList<>();
        JsonFileLog.Start start = resume == null ? JsonFileLog.Start.all() : JsonFileLog.Start.after(resume.ts(), resume.count());
        try (LocalLog log = LocalLog.open(live, tty, LogFollower.MAX_LINE_BYTES, start,
                (s, ts, m, safeTs, n) -> lines.add(new Line(s, ts, new String(m, StandardCharsets.UTF_8), safeTs, n)), damaged::add)) {
            while (log.read(readSize) > 0) {
                // until caught up
            }
            log.finish();
            assertThat(log.skippedBroken()).isZero();
        }
        assertThat(damaged).isEmpty();
        return lines;
    }

    @ParameterizedTest
    @CsvSource({"20.10,mux", "28,mux", "28,tty"})
    void theSameLinesAndPositionsAsTheApi(String engine, String kind) throws Exception {
        boolean tty = kind.equals("tty");
        List<Line> fromApi = api(engine, kind, tty, null);
        assertThat(file(engine, kind, tty, null, 1 << 20)).isEqualTo(fromApi);
        // read a few bytes at a time: entries cut anywhere by a read are taken whole, once
        List<Line> fromFile = file(engine, kind, tty, null, 1);
        assertThat(fromFile).isEqualTo(fromApi);
        assertThat(fromFile).extracting(Line::message).containsExactly("two", "one", "a".repeat(20000), "q\"\\\t<\u0001é", "same", "same",
                "b".repeat(16384), "c".repeat(17000), "last-no-newline");
        assertThat(fromFile).extracting(Line::stream).containsOnly(tty ? "tty" : "stdout", tty ? "tty" : "stderr");
    }

    /**
     * Engine 20.10's logs API adds no newline after the last piece of a long line of a local-driver
     * container (its local/read.go adds one only to whole entries; 28.5 adds it to the last piece
     * too). With a TTY the API's answer is a raw stream, so that line runs into the next one: the
     * API path, Docker's own {@code docker logs} alike, gives the long line and the next as one.
     * The file holds the boundary: the file path gives the lines as printed.
     */
    @org.junit.jupiter.api.Test
    void withATtyOnEngine2010TheFilePathKeepsTheLineTheApiRunsIntoTheNext() throws Exception {
        List<Line> fromApi = api("20.10", "tty", true, null);
        List<Line> fromFile = file("20.10", "tty", true, null, 1 << 20);
        assertThat(fromFile).extracting(Line::message).containsExactly("two", "one", "a".repeat(20000), "q\"\\\t<\u0001é", "same",
                "same", "b".repeat(16384), "c".repeat(17000), "last-no-newline");
        assertThat(fromApi).extracting(Line::message).contains("a".repeat(20000) + "\r2026-12-02T16:31:41.460422340Z q\"\\\t<\u0001é")
                .doesNotContain("q\"\\\t<\u0001é");
        // the short lines before the long ones the same, with the same timestamps (each long line runs into the next)
        java.util.function.Predicate<Line> shortLine = l -> l.message().length() <= 4;
        assertThat(fromFile.stream().filter(shortLine).map(l -> l.ts() + " " + l.message()).toList())
                .isEqualTo(fromApi.stream().filter(shortLine).map(l -> l.ts() + " " + l.message()).toList()).hasSize(4);
    }

    @ParameterizedTest
    @CsvSource({"20.10", "28"})
    void rotatedCompressedFilesAreReadInOrder(String engine) throws Exception {
        List<Line> fromApi = api(engine, "rot", false, null);
        List<Line> fromFile = file(engine, "rot", false, null, 1 << 20);
        assertThat(fromFile).isEqualTo(fromApi);
        assertThat(fromFile).hasSize(300);
        assertThat(fromFile.get(0).message()).isEqualTo("line-1");
        assertThat(fromFile.get(299).message()).isEqualTo("line-300");
    }

    @ParameterizedTest
    @CsvSource({"20.10,mux,1", "20.10,mux,3", "20.10,mux,6", "28,mux,2", "28,mux,7", "20.10,rot,1", "20.10,rot,115",
            "20.10,rot,116", "20.10,rot,200", "28,rot,227", "28,rot,299"})
    void aCheckpointOfOnePathResumesOnTheOther(String engine, String kind, int after) throws Exception {
        List<Line> all = api(engine, kind, false, null);
        Line l = all.get(after - 1);
        LogPosition pos = new LogPosition(l.safeTs(), l.safeCount(), null);
        List<Line> rest = all.subList(after, all.size());
        assertThat(file(engine, kind, false, pos, 1 << 20)).as("file path after the API's position").isEqualTo(rest);
        assertThat(api(engine, kind, false, pos)).as("API path after the same position").isEqualTo(rest);
    }
}
