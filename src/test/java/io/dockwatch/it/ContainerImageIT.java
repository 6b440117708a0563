package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.LocalImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image as users run it: built by scripts/build-image.sh (Maven in the build stage,
 * base images made from this machine), started on the real daemon with the socket and /proc
 * mounted, writing records to a mounted folder, reporting healthy, running as a non-root user in
 * the socket's group.
 */
class ContainerImageIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int NON_ROOT_UID = 10001;

    @TempDir
    Path work;
    private final String collector = Docker.uniqueName("image");
    private final String printer = Docker.uniqueName("image-printer");

    @AfterEach
    void cleanUp() {
        Docker.removeQuietly(printer);
        Docker.tryDocker("rm", "-f", "-v", collector); // -v: its anonymous state volume too
    }

    @Test
    void theImageCollectsFromTheMountedSocketAsNonRootAndTurnsHealthy() throws Exception {
        String image = LocalImage.build();
        Path out = work.resolve("out");
        Files.createDirectories(out);

        docker("run", "-d", "--name", collector, "--network", "none",
                "-v", "/var/run/docker.sock:/var/run/docker.sock",
                "-v", "/proc:/host/proc:ro",
                "-v", out + ":/var/lib/dockwatch/out",
                "-e", "DOCKWATCH_CONTAINERS_INCLUDE=" + printer, // shared daemon: our logs only
                "--health-interval", "2s", "--health-start-period", "60s", image);
        await("collector started in its container").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> Docker.tryDocker("logs", collector).stderr().contains("dockwatch collecting"));
        docker("run", "-d", "--network", "none", "--name", printer, TEST_IMAGE, "sh", "-c",
                "echo from a container watched by a container; sleep 300");

        await("records in the mounted output").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> !Collector.readRecords(out, true).stream().filter(kind("log").and(containerName(printer))).toList().isEmpty());
        assertThat(Collector.readRecords(out).stream().filter(kind("log").and(containerName(printer)))
                .map(r -> r.path("message").asText())).containsExactly("from a container watched by a container");

        await("container healthy").atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> docker("inspect", "--format", "{{.State.Health.Status}}", collector).equals("healthy"));

        String status = docker("exec", collector, "cat", "/proc/1/status");
        String socketGid = docker("run", "--rm", "--network", "none", "-v", "/var/run/docker.sock:/s", TEST_IMAGE,
                "stat", "-c", "%g", "/s");
        assertThat(status).containsPattern("Uid:\\s+" + NON_ROOT_UID + "\\s");
        assertThat(status).containsPattern("Groups:.*\\b" + socketGid + "\\b");
        // a shell probe with the base's wget, not a JVM started every interval
        assertThat(docker("inspect", "--format", "{{json .Config.Healthcheck.Test}}", image)).contains("healthcheck.sh");
        assertThat(docker("exec", collector, "/opt/dockwatch/healthcheck.sh")).isEmpty();
        assertThat(docker("exec", collector, "sh", "-c", "command -v wget")).isNotEmpty();

        docker("stop", "-t", "15", collector);
        assertThat(docker("inspect", "--format", "{{.State.ExitCode}}", collector)).isEqualTo("0");
    }

    /**
     * As deploy/compose.yml runs it: Docker's log folder mounted read-only and the one capability
     * DAC_READ_SEARCH: the unprivileged collector reads a json-file container's log from its file
     * (the start-up line and the status page say so), and can write nothing there.
     */
    @Test
    void withTheLogFolderMountedAndDacReadSearchTheImageReadsLogFilesAndWritesNothingThere() throws Exception {
        String image = LocalImage.build();
        Path out = work.resolve("out");
        Files.createDirectories(out);
        String root = docker("info", "--format", "{{.DockerRootDir}}");

        docker("run", "-d", "--name", collector, "--network", "none", "--cap-add", "DAC_READ_SEARCH",
                "-v", "/var/run/docker.sock:/var/run/docker.sock",
                "-v", root + "/containers:" + root + "/containers:ro",
                "-v", out + ":/var/lib/dockwatch/out",
                "-e", "DOCKWATCH_CONTAINERS_INCLUDE=" + printer, image);
        await("collector started in its container").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> Docker.tryDocker("logs", collector).stderr().contains("dockwatch collecting"));
        assertThat(Docker.tryDocker("logs", collector).stderr())
                .contains("logs of json-file and local containers from their files under " + root + "/containers");
        docker("run", "-d", "--network", "none", "--name", printer, TEST_IMAGE, "sh", "-c",
                "echo read from its json-file log; sleep 300");

        await("records in the mounted output").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> !Collector.readRecords(out, true).stream().filter(kind("log").and(containerName(printer))).toList().isEmpty());
        assertThat(Collector.readRecords(out).stream().filter(kind("log").and(containerName(printer)))
                .map(r -> r.path("message").asText())).containsExactly("read from its json-file log");
        String printerId = docker("inspect", "--format", "{{.Id}}", printer);
        String statusPage = docker("exec", collector, "wget", "-qO-", "http://127.0.0.1:9876/observe/status.json");
        assertThat(io.dockwatch.record.Json.MAPPER.readTree(statusPage).path("containers")).anySatisfy(c -> {
            assertThat(c.path("id").asText()).isEqualTo(printerId.substring(0, 12));
            assertThat(c.path("logs_read").asText()).isEqualTo("file");
        });

        String status = docker("exec", collector, "cat", "/proc/1/status");
        assertThat(status).containsPattern("Uid:\\s+" + NON_ROOT_UID + "\\s");
        // CAP_DAC_READ_SEARCH (bit 2) and nothing else, effective in the collector
        assertThat(status).containsPattern("CapEff:\\s+0000000000000004\\b");
        String logPath = docker("inspect", "--format", "{{.LogPath}}", printer);
        Docker.Result write = Docker.tryDocker("exec", collector, "sh", "-c", "echo x >> " + logPath);
        assertThat(write.exitCode()).as("appending to the container's log file").isNotZero();
    }
}
