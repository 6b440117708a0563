package io.dockwatch.it;

import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.ExtraDockerd;
import io.dockwatch.testing.Http;
import io.dockwatch.testing.RealDaemonTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Container logs read from Docker's log files, json-file's and the local driver's
 * (docs/logs-file-path.md): every line exactly once across a SIGKILL, Docker's rotation with
 * compression and a switch between the file and API paths; long lines joined; TTY and stderr as on
 * the API path; a container removed while its file is read is read to its end.
 */
class LogFilePathIT extends RealDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Only this test's containers: the shared daemon runs other tests' floods. */
    private static final String OURS = "dwt-fp*";

    private Collector collector(String read) {
        return new Collector(work).with("dockwatch.containers.include", OURS).with("dockwatch.logs.read", read)
                .with("dockwatch.logs.backlog", "all");
    }

    /**
     * message → count of the container's log records, read straight from the output files (the
     * harness's records() parses every record, too slow for 100,000 lines polled).
     */
    private static Map<String, Integer> messages(Collector c, String container) {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode r : logRecords(c, container)) {
            counts.merge(r.path("message").asText(), 1, Integer::sum);
        }
        return counts;
    }

    private static List<JsonNode> logRecords(Collector c, String container) {
        String needle = "\"name\":\"" + container + "\"";
        try (Stream<Path> files = Files.list(c.outputDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".ndjson")).sorted().flatMap(f -> {
                try {
                    return Files.readAllLines(f, StandardCharsets.UTF_8).stream();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).filter(l -> l.contains(needle) && l.contains("\"kind\":\"log\"")).map(l -> {
                try {
                    return Json.MAPPER.readTree(l);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long countLines(Collector c, String container) {
        String needle = "\"name\":\"" + container + "\"";
        long n = 0;
        try (Stream<Path> files = Files.list(c.outputDir())) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".ndjson")).toList()) {
                try (Stream<String> lines = Files.lines(f, StandardCharsets.UTF_8)) {
                    n += lines.filter(l -> l.contains(needle) && l.contains("\"kind\":\"log\"")).count();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return n; // a file rolled while being counted: the next poll counts again
        }
        return n;
    }

    private static void awaitLines(Collector c, String container, long n) {
        Awaitility.await(container + " has " + n + " log lines").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!c.isAlive()) {
                        throw new AssertionError("collector died:\n" + c.logText());
                    }
                    return countLines(c, container) >= n;
                });
    }

    private static void assertNumbersOnce(Collector c, String container, int n) {
        Map<String, Integer> counts = messages(c, container);
        assertThat(counts).as("distinct lines of %s", container).hasSize(n);
        assertThat(counts.values()).as("each line of %s once", container).containsOnly(1);
        for (int i = 1; i <= n; i += Math.max(1, n / 100)) {
            assertThat(counts).containsKey(Integer.toString(i));
        }
        assertThat(counts).containsKey(Integer.toString(n));
    }

    private static JsonNode status(Collector c) {
        try {
            return Json.MAPPER.readTree(Http.get(c.baseUrl() + "/observe/status.json").body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readPathOf(Collector c, String containerId) {
        for (JsonNode ct : status(c).path("containers")) {
            String shortId = ct.path("id").asText();
            if (!shortId.isEmpty() && containerId.startsWith(shortId)) {
                return ct.path("logs_read").asText();
            }
        }
        return "(not on the status page)";
    }

    /** A shell loop printing 1..lines in bursts of {@code burst} lines with a pause after each. */
    private static String bursts(int lines, int burst, String pause) {
        return "i=0; while [ $i -lt " + lines + " ]; do i=$((i+1)); echo $i;"
                + " if [ $((i % " + burst + ")) -eq 0 ]; then sleep " + pause + "; fi; done";
    }

    @Test
    void jsonFileAndLocalContainersAreReadFromTheirFilesAndTheStatusSaysWhich() {
        try (Collector c = collector("auto").start()) {
            assertThat(c.logText()).contains("logs of json-file and local containers from their files under /var/lib/docker/containers");
            String file = name("fp-json");
            String local = name("fp-local");
            String fileId = docker("run", "-d", "--name", file, TEST_IMAGE, "sh", "-c", "seq 1 2000; sleep 300").trim(); // running while the status page is read
            String localId = docker("run", "-d", "--log-driver", "local", "--name", local, TEST_IMAGE, "sh", "-c",
                    "seq 1 2000; sleep 300").trim(); // running while the status page is read
            awaitLines(c, file, 2000);
            awaitLines(c, local, 2000);
            assertThat(readPathOf(c, fileId)).isEqualTo("file");
            assertThat(readPathOf(c, localId)).isEqualTo("file");
            JsonNode daemon = status(c).path("daemons").get(0);
            assertThat(daemon.path("logs_read").path("file").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(c.stop()).isZero();
            assertThat(c.logText()).doesNotContain("Skipped ");
            assertNumbersOnce(c, file, 2000);
            assertNumbersOnce(c, local, 2000);
        }
    }

    @Test
    void theSettingForcesTheApiPath() {
        try (Collector c = collector("api").start()) {
            assertThat(c.logText()).contains("logs through the API (dockwatch.logs.read=api)");
            String n = name("fp-forced");
            String local = name("fp-forced-local");
            String id = docker("run", "-d", "--name", n, TEST_IMAGE, "sh", "-c", "seq 1 500; sleep 300").trim(); // running while the status page is read
            String localId = docker("run", "-d", "--log-driver", "local", "--name", local, TEST_IMAGE, "sh", "-c", "seq 1 500; sleep 300").trim();
            awaitLines(c, n, 500);
            awaitLines(c, local, 500);
            assertThat(readPathOf(c, id)).isEqualTo("api");
            assertThat(readPathOf(c, localId)).isEqualTo("api");
            assertNumbersOnce(c, local, 500);
            assertThat(c.stop()).isZero();
            assertNumbersOnce(c, n, 500);
        }
    }

    /** The folder of a container's log files: json-file's LogPath's, or the local driver's (no LogPath). */
    private static Path logFolder(String container, String driver) {
        if (driver.equals("local")) {
            String id = docker("inspect", "-f", "{{.Id}}", container).trim();
            return Path.of("/var/lib/docker/containers", id, "local-logs");
        }
        return Path.of(docker("inspect", "-f", "{{.LogPath}}", container).trim()).getParent();
    }

    @Test
    void rotationWithCompressionAndASigkillUnderAFastWriterNeitherLosesNorRepeatsALine() throws Exception {
        // about 11 MB of json-file: some ten rotations, all kept (max-file 30)
        rotationWithCompressionAndASigkill("json-file", "fp-rotate", "1m");
    }

    @Test
    void localDriverRotationWithCompressionAndASigkillUnderAFastWriterNeitherLosesNorRepeatsALine() throws Exception {
        // about 4 MB of local entries (some 27 bytes a line): some ten rotations, all kept
        rotationWithCompressionAndASigkill("local", "fp-rotate-local", "400k");
    }

    private void rotationWithCompressionAndASigkill(String driver, String prefix, String maxSize) throws Exception {
        int lines = 150_000;
        String n = name(prefix);
        Collector c = collector("file").start();
        try {
            docker("run", "-d", "--name", n, "--log-driver", driver, "--log-opt", "max-size=" + maxSize, "--log-opt", "max-file=30",
                    "--log-opt", "compress=true", TEST_IMAGE, "sh", "-c", bursts(lines, 5000, "0.2"));
            awaitLines(c, n, 20_000);
            c.kill();
            Thread.sleep(1000);
            c.start();
            docker("wait", n);
            awaitLines(c, n, lines);
            try (Stream<Path> siblings = Files.list(logFolder(n, driver))) {
                assertThat(siblings.filter(p -> p.getFileName().toString().endsWith(".gz")).count())
                        .as("Docker rotated and compressed the log").isGreaterThanOrEqualTo(5);
            }
            Thread.sleep(500); // nothing more (a repeat) comes later
            assertThat(c.stop()).isZero();
            assertThat(c.logText()).doesNotContain("Skipped ");
            assertNumbersOnce(c, n, lines);
        } finally {
            c.close();
        }
    }

    /**
     * Engine 28.5 writes the local driver's files as 20.10 does (the unit tests hold recordings of
     * both); here its data root is elsewhere (/tmp/dwd.../data), found through the container's
     * HostnamePath, with rotation, compression and a SIGKILL.
     */
    @Test
    void localDriverOnEngine28IsReadFromItsFilesExactlyOnceAcrossRotationAndASigkill() throws Exception {
        int lines = 100_000;
        try (ExtraDockerd sid = ExtraDockerd.startSid().withTestImage();
                Collector c = new Collector(work).with("dockwatch.docker.hosts", sid.unixUri().toString())
                        .with("dockwatch.containers.include", OURS).with("dockwatch.logs.read", "file")
                        .with("dockwatch.logs.backlog", "all")) {
            c.start();
            assertThat(c.logText()).contains("logs of json-file and local containers from their files under " + sid.dir());
            String n = "dwt-fp-sid-local";
            String id = sid.docker("run", "-d", "--name", n, "--log-driver", "local", "--log-opt", "max-size=300k", "--log-opt",
                    "max-file=30", TEST_IMAGE, "sh", "-c", bursts(lines, 5000, "0.2")).trim();
            awaitLines(c, n, 10_000);
            c.kill();
            Thread.sleep(1000);
            c.start();
            sid.docker("wait", n);
            awaitLines(c, n, lines);
            try (Stream<Path> siblings = Files.list(sid.dir().resolve("data/containers").resolve(id).resolve("local-logs"))) {
                assertThat(siblings.filter(p -> p.getFileName().toString().endsWith(".gz")).count())
                        .as("Docker rotated and compressed the log").isGreaterThanOrEqualTo(3);
            }
            Thread.sleep(500);
            assertThat(c.stop()).isZero();
            assertThat(c.logText()).doesNotContain("through the API although dockwatch.logs.read=file").doesNotContain("Skipped ");
            assertNumbersOnce(c, n, lines);
        }
    }

    @Test
    void switchingBetweenTheApiAndTheFilePathContinuesFromTheSameCheckpoint() throws Exception {
        switchingBetweenTheApiAndTheFilePath("json-file", "fp-switch");
    }

    @Test
    void localDriverSwitchingBetweenTheApiAndTheFilePathContinuesFromTheSameCheckpoint() throws Exception {
        switchingBetweenTheApiAndTheFilePath("local", "fp-switch-local");
    }

    private void switchingBetweenTheApiAndTheFilePath(String driver, String prefix) throws Exception {
        int lines = 30_000;
        String n = name(prefix);
        Collector c = collector("api").start();
        try {
            docker("run", "-d", "--name", n, "--log-driver", driver, TEST_IMAGE, "sh", "-c", bursts(lines, 1000, "0.1"));
            awaitLines(c, n, 3000);
            assertThat(c.stop()).isZero();
            c.with("dockwatch.logs.read", "file").start();
            awaitLines(c, n, 6000);
            assertThat(c.stop()).isZero();
            c.with("dockwatch.logs.read", "api").start();
            docker("wait", n);
            awaitLines(c, n, lines);
            Thread.sleep(500);
            assertThat(c.stop()).isZero();
            assertNumbersOnce(c, n, lines);
        } finally {
            c.close();
        }
    }

    @Test
    void longLinesAreJoinedTtyAndStderrKeptAndShortLivedContainersReadToTheirEnd() {
        longLinesTtyAndStderr("json-file", "fp");
    }

    @Test
    void localDriverLongLinesAreJoinedTtyAndStderrKeptAndShortLivedContainersReadToTheirEnd() {
        longLinesTtyAndStderr("local", "fp-local");
    }

    private void longLinesTtyAndStderr(String driver, String prefix) {
        try (Collector c = collector("file").start()) {
            String longLines = name(prefix + "-long");
            String tty = name(prefix + "-tty");
            String both = name(prefix + "-streams");
            docker("run", "--name", longLines, "--log-driver", driver, TEST_IMAGE, "sh", "-c",
                    "head -c 40000 /dev/zero | tr '\\0' a; echo; head -c 16384 /dev/zero | tr '\\0' b; echo;"
                            + " printf 'q\"\\\\\\t<\\001é\\n'; printf no-newline-at-the-end");
            docker("run", "-t", "--name", tty, "--log-driver", driver, TEST_IMAGE, "sh", "-c", "echo on-a-tty; echo to-stderr-on-tty >&2");
            docker("run", "--name", both, "--log-driver", driver, TEST_IMAGE, "sh", "-c", "echo out; echo err >&2");

            awaitLines(c, longLines, 4);
            awaitLines(c, tty, 2);
            awaitLines(c, both, 2);
            assertThat(c.stop()).isZero();

            List<JsonNode> longRecords = logRecords(c, longLines);
            assertThat(longRecords).extracting(r -> r.path("message").asText())
                    .containsExactly("a".repeat(40000), "b".repeat(16384), "q\"\\\t<\u0001é", "no-newline-at-the-end");
            assertThat(logRecords(c, tty)).extracting(r -> r.path("message").asText() + "/" + r.path("log").path("stream").asText())
                    .containsExactly("on-a-tty/tty", "to-stderr-on-tty/tty");
            assertThat(logRecords(c, both)).extracting(r -> r.path("message").asText() + "/" + r.path("log").path("stream").asText())
                    .containsExactlyInAnyOrder("out/stdout", "err/stderr");
        }
    }

    @Test
    void aContainerRemovedWhileItsFileIsBeingReadIsReadToTheEndOfThatFile() throws Exception {
        removedWhileRead("json-file", "fp-removed");
    }

    @Test
    void localDriverContainerRemovedWhileItsFileIsBeingReadIsReadToTheEndOfThatFile() throws Exception {
        removedWhileRead("local", "fp-removed-local");
    }

    private void removedWhileRead(String driver, String prefix) throws Exception {
        int first = 1000;
        int lines = 50_000;
        String n = name(prefix);
        try (Collector c = collector("file").start()) {
            docker("run", "-d", "--name", n, "--log-driver", driver, TEST_IMAGE, "sh", "-c",
                    "seq 1 " + first + "; sleep 2; seq " + (first + 1) + " " + lines);
            awaitLines(c, n, first);
            // the collector holds the file open and reads nothing while the container ends and goes
            new ProcessBuilder("kill", "-STOP", Long.toString(c.pid())).start().waitFor();
            try {
                docker("wait", n);
                docker("rm", n);
            } finally {
                new ProcessBuilder("kill", "-CONT", Long.toString(c.pid())).start().waitFor();
            }
            awaitLines(c, n, lines);
            Thread.sleep(500);
            assertThat(c.stop()).isZero();
            assertNumbersOnce(c, n, lines);
        }
    }
}
