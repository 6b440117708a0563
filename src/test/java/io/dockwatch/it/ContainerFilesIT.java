package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.RealDaemonTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        Collector collector = new Collector(work).start();
        try {
            String app = name("fat");
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

        try (Collector collector = new Collector(work).start()) {
            String bare = name("nosh");
            String normal = name("withsh");
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
}
