package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.docker.DockerEndpoint;
import io.dockwatch.record.Json;
import io.dockwatch.settings.Settings;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.RealDaemonTest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Log files inside containers, read through the Docker API (exec while running, archive after). */
class ContainerFilesIT extends RealDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static Predicate<JsonNode> fileLine(String container) {
        return kind("log").and(containerName(container)).and(r -> r.path("log").path("file").has("path"));
    }

    @Test
    void linesAppendedToAFileInsideAContainerArriveOnceAcrossRotationAndACollectorKill() throws Exception {
        int lines = 4000;
        String app = name("fat");
        // only this container: others on the shared daemon are no concern of this test
        Collector collector = new Collector(work).with(Settings.CONTAINERS_INCLUDE, app).start();
        try {
            // 40 bursts of 100 lines, 4 a second; the file is rotated by rename half way
            docker("run", "-d", "--name", app, "-l", "dockwatch.logs.files=/var/log/app/*.log", TEST_IMAGE, "sh", "-c",
                    "mkdir -p /var/log/app; i=0; while [ $i -lt " + lines + " ]; do i=$((i+1));"
                            + " echo \"line $i\" >> /var/log/app/app.log;"
                            + " if [ $i -eq " + (lines / 2) + " ]; then mv /var/log/app/app.log /var/log/app/app.log.1; fi;"
                            + " if [ $((i % 100)) -eq 0 ]; then sleep 0.25; fi; done; sleep 300");
            collector.awaitRecords(fileLine(app), 500, WAIT);
            collector.kill();
            assertThat(collector.completeLines()).as("the kill landed mid-stream").isLessThan(lines);
            Thread.sleep(1000);
            collector.start();
            collector.awaitRecords(fileLine(app), lines, WAIT);
            Awaitility.await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
            assertThat(collector.stop()).isZero();

            List<JsonNode> records = collector.records(fileLine(app));
            Map<String, Long> counts = records.stream()
                    .collect(Collectors.groupingBy(r -> r.path("message").asText(), TreeMap::new, Collectors.counting()));
            assertThat(counts).hasSize(lines);
            assertThat(counts.values()).containsOnly(1L);
            assertThat(records).allMatch(r -> r.path("log").path("file").path("path").asText().equals("/var/log/app/app.log"));
            // the collector's own exec calls are not recorded as events
            assertThat(collector.records(kind("event").and(containerName(app))))
                    .noneMatch(r -> r.path("event").path("action").asText().startsWith("exec_"));
        } finally {
            collector.close();
        }
    }

    @Test
    void aContainerWithoutAShellGetsOneClearLineAndOthersAreStillRead() throws Exception {
        // an image with a single binary and no shell: the exec method cannot work there
        Path root = Files.createDirectories(work.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("sleep"));
        Process tar = new ProcessBuilder("sh", "-c", "tar -C " + work.resolve("rootfs") + " -c . | docker import - dwt-nosh:latest")
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor()).isZero();

        String bare = name("nosh");
        String normal = name("withsh");
        try (Collector collector = new Collector(work).with(Settings.CONTAINERS_INCLUDE, bare + "," + normal).start()) {
            docker("run", "-d", "--name", bare, "-l", "dockwatch.logs.files=/var/log/x.log", "dwt-nosh:latest", "sleep", "300");
            docker("run", "-d", "--name", normal, "-l", "dockwatch.logs.files=/tmp/*.log", TEST_IMAGE, "sh", "-c",
                    "echo hello > /tmp/a.log; sleep 300");

            JsonNode hello = collector.awaitRecords(fileLine(normal), 1, WAIT).get(0);
            Awaitility.await().atMost(WAIT).until(() -> collector.logText().contains("Container " + bare + ": cannot read its log files"));
            assertThat(hello.path("message").asText()).isEqualTo("hello");
            assertThat(hello.path("log").path("file").path("path").asText()).isEqualTo("/tmp/a.log");
            assertThat(collector.stop()).isZero();
            long warnings = collector.logText().lines().filter(l -> l.contains("Container " + bare + ": cannot read")).count();
            assertThat(warnings).isEqualTo(1);
        } finally {
            Docker.tryDocker("rmi", "-f", "dwt-nosh:latest");
        }
    }

    /** 70,000 lines of about 1,000 bytes (some 70 MB, more than the collector's whole heap), numbered and tagged. */
    private static String hundredMegabytes(String tag, String file) {
        return "awk 'BEGIN{p=sprintf(\"%980s\",\"\"); gsub(/ /,\"x\",p); for(i=1;i<=" + BIG_LINES + ";i++)"
                + " printf \"" + tag + " %07d %s\\n\", i, p}' >> " + file;
    }

    private static final int BIG_LINES = 70_000;

    private static String bigLine(String tag, int i) {
        return tag + " " + String.format("%07d", i) + " " + "x".repeat(980);
    }

    /** Every log record's message in the output, in order, read line by line (the output is some 150 MB). */
    private static void eachLogMessage(Collector collector, java.util.function.Consumer<String> action) throws Exception {
        List<Path> files;
        try (var list = Files.list(collector.outputDir())) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".ndjson")).sorted().toList();
        }
        for (Path f : files) {
            try (var reader = Files.newBufferedReader(f)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.contains("\"kind\":\"log\"")) {
                        JsonNode record;
                        try {
                            record = Json.MAPPER.readTree(line);
                        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                            if (collector.isAlive()) {
                                continue; // the line being written right now: read again next time
                            }
                            throw e;
                        }
                        action.accept(record.path("message").asText());
                    }
                }
            }
        }
    }

    /** Per tag, how many of its numbered lines arrived; fails unless each is exact and they come once, in order. */
    private static Map<String, Integer> bigLinesInOrder(Collector collector, String... tags) throws Exception {
        Map<String, Integer> next = new TreeMap<>();
        for (String t : tags) {
            next.put(t, 1);
        }
        eachLogMessage(collector, message -> {
            int space = message.indexOf(' ');
            String tag = space > 0 ? message.substring(0, space) : message;
            Integer n = next.get(tag);
            if (n != null) {
                assertThat(message).as("line %d of %s", n, tag).isEqualTo(bigLine(tag, n));
                next.put(tag, n + 1);
            }
        });
        next.replaceAll((t, n) -> n - 1);
        return next;
    }

    @Test
    void aFileGrowingBy70MbAndAStoppedContainersFileOf70MbArriveExactlyUnderTheShippedHeap() throws Exception {
        String growing = name("grow");
        String stopped = name("stopped");
        // only these two: other containers on the shared daemon are no concern of this test
        try (Collector collector = new Collector(work).with(Settings.CONTAINERS_INCLUDE, growing + "," + stopped).start()) {
            // grows by 70 MB within a few polls, long after the first poll saw it
            docker("run", "-d", "--network", "none", "--name", growing, "-l", "dockwatch.logs.files=/var/log/big/*.log",
                    TEST_IMAGE, "sh", "-c", "mkdir -p /var/log/big; echo started > /var/log/big/app.log; sleep 3; "
                            + hundredMegabytes("growing", "/var/log/big/app.log") + "; sleep 600");
            // writes 70 MB and exits: what the polls did not read comes from the archive API
            docker("run", "-d", "--network", "none", "--name", stopped, "-l", "dockwatch.logs.files=/var/log/big/*.log",
                    TEST_IMAGE, "sh", "-c", "mkdir -p /var/log/big; " + hundredMegabytes("stopped", "/var/log/big/app.log"));

            Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(3)).until(() -> {
                assertThat(collector.isAlive()).as("collector alive; log:\n%s", collector.logText()).isTrue();
                Map<String, Integer> seen = bigLinesInOrder(collector, "growing", "stopped");
                return seen.get("growing") == BIG_LINES && seen.get("stopped") == BIG_LINES;
            });
            Thread.sleep(2000); // nothing more may come
            assertThat(collector.logText()).doesNotContain("OutOfMemoryError");
            assertThat(collector.stop()).isZero();
            assertThat(bigLinesInOrder(collector, "growing", "stopped")).containsEntry("growing", BIG_LINES)
                    .containsEntry("stopped", BIG_LINES);
            List<String> started = new ArrayList<>();
            eachLogMessage(collector, m -> {
                if (m.equals("started")) {
                    started.add(m);
                }
            });
            assertThat(started).as("the line before the growth").hasSize(1);
        }
    }

    @Test
    void aUserExecWithTheCollectorsOwnCommandTextIsRecordedAndTheCollectorsOwnExecsAreNot() throws Exception {
        long since = Instant.now().getEpochSecond() - 1;
        String app = name("execs");
        try (Collector collector = new Collector(work).with(Settings.CONTAINERS_INCLUDE, app).start();
                DockerDaemon api = new DockerDaemon(DockerEndpoint.of(URI.create("unix:///var/run/docker.sock"), System.getenv()))) {
            api.connect();
            docker("run", "-d", "--network", "none", "--name", app, "-l", "dockwatch.logs.files=/tmp/*.log", TEST_IMAGE, "sh",
                    "-c", "echo hello > /tmp/a.log; sleep 300");
            collector.awaitRecords(fileLine(app), 1, WAIT);
            Thread.sleep(2500); // a few more polls: the collector's own execs keep coming

            // the collector's listing command, as the daemon reported it: "exec_create: sh -c SCRIPT dockwatch-reader"
            String ownCreate = dockerEventActions(app, since).stream().filter(a -> a.startsWith("exec_create: sh -c for d in"))
                    .findFirst().orElseThrow(() -> new AssertionError("no exec of the collector's seen by the daemon"));
            String script = ownCreate.substring("exec_create: sh -c ".length(), ownCreate.length() - " dockwatch-reader".length());

            // a user's exec with exactly that command, through the API as any tool would
            ObjectNode create = Json.NODES.objectNode().put("AttachStdout", true).put("AttachStderr", true);
            create.putArray("Cmd").add("sh").add("-c").add(script).add("dockwatch-reader");
            String userExecId;
            try (var r = api.post("/containers/" + app + "/exec", create)) {
                userExecId = Json.MAPPER.readTree(r.getBody()).path("Id").asText();
            }
            try (var r = api.post("/exec/" + userExecId + "/start", Json.NODES.objectNode().put("Detach", false))) {
                r.getBody().readAllBytes();
            }
            Predicate<JsonNode> userExec = r -> userExecId.equals(r.path("event").path("attributes").path("execID").asText());
            Predicate<JsonNode> anyExec = kind("event").and(containerName(app))
                    .and(r -> r.path("event").path("action").asText().startsWith("exec_"));
            collector.awaitRecords(anyExec.and(userExec).and(r -> r.path("event").path("action").asText().equals("exec_die")),
                    1, WAIT);
            Thread.sleep(2500); // more of the collector's own execs, which must stay out
            assertThat(collector.stop()).isZero();

            List<JsonNode> recorded = collector.records(anyExec);
            assertThat(recorded).extracting(r -> r.path("event").path("action").asText())
                    .containsExactly("exec_create", "exec_start", "exec_die");
            assertThat(recorded).allMatch(userExec);
            assertThat(recorded.get(0).path("event").path("action_detail").asText()).isEqualTo(ownCreate.substring("exec_create: ".length()));
            long sameText = dockerEventActions(app, since).stream().filter(ownCreate::equals).count();
            assertThat(sameText).as("the collector's own execs with the same command text, seen by the daemon").isGreaterThanOrEqualTo(3);
        }
    }

    /** The daemon's own event log for one container since {@code since}: its Action texts. */
    private static List<String> dockerEventActions(String container, long since) {
        String out = docker("events", "--since", Long.toString(since), "--until", Long.toString(Instant.now().getEpochSecond() + 1),
                "--filter", "container=" + container, "--format", "{{.Action}}");
        return out.lines().toList();
    }
}
