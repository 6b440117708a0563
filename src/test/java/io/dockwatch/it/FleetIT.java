package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.ExtraDockerd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One collector, three real daemons: the main one, an extra one that goes away and comes back,
 * and one that is down when the collector starts. Every source (events, config, logs) of every
 * daemon keeps working, each record tagged with its daemon.
 */
class FleetIT {
    /** Longer than the events stream's backoff reaches in this test (0.5 s doubling: ≤ 16 s). */
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String MAIN_ENDPOINT = "unix:///var/run/docker.sock";

    @TempDir
    Path work;
    private final String onMain = Docker.uniqueName("fleet-main");
    private ExtraDockerd flaky;
    private ExtraDockerd late;

    @AfterEach
    void cleanUp() {
        Docker.removeQuietly(onMain);
        for (ExtraDockerd d : new ExtraDockerd[] {flaky, late}) {
            if (d != null) {
                d.close();
            }
        }
    }

    /** The three kinds every daemon's container gives: its start event, its config, its line. */
    private static void awaitAllSources(Collector c, String name, String line, String endpoint) {
        Predicate<JsonNode> from = containerName(name).and(r -> endpoint.equals(r.path("host").path("endpoint").asText()));
        c.awaitRecords(from.and(kind("log")).and(r -> line.equals(r.path("message").asText())), 1, WAIT);
        c.awaitRecords(from.and(kind("config")), 1, WAIT);
        c.awaitRecords(from.and(kind("event")).and(r -> "start".equals(r.path("event").path("action").asText())), 1, WAIT);
    }

    /** What the operator sees when a daemon answers again (records of what ran before depend on backlog settings). */
    private static void awaitReachable(Collector c, String endpoint) {
        org.awaitility.Awaitility.await(endpoint + " reachable").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> c.logText().contains("Docker at " + endpoint + " is back"));
    }

    private static long linesAbout(Collector c, String endpoint) {
        return Arrays.stream(c.logText().split("\n")).filter(l -> l.contains("WARN") && l.contains(endpoint)).count();
    }

    @Test
    void aDaemonDownAtStartOrGoingAwayIsRetriedWhileTheOthersKeepFlowing() {
        flaky = ExtraDockerd.start().withTestImage();
        late = ExtraDockerd.prepare();
        String flakyEndpoint = flaky.unixUri().toString();
        String lateEndpoint = late.unixUri().toString();
        String hosts = String.join(",", MAIN_ENDPOINT, flakyEndpoint, lateEndpoint);
        try (Collector collector = new Collector(work).with("dockwatch.docker.hosts", hosts).start()) {
            assertThat(collector.logText()).contains(lateEndpoint + " (unreachable, retrying)");
            org.awaitility.Awaitility.await("one warning about the daemon that is down").atMost(WAIT)
                    .until(() -> linesAbout(collector, lateEndpoint) >= 1);

            docker("run", "-d", "--name", onMain, TEST_IMAGE, "sh", "-c", "echo main up; sleep 600");
            String first = Docker.uniqueName("fleet-flaky");
            flaky.docker("run", "--name", first, TEST_IMAGE, "echo", "flaky up");
            awaitAllSources(collector, onMain, "main up", MAIN_ENDPOINT);
            awaitAllSources(collector, first, "flaky up", flakyEndpoint);

            // the late daemon comes up: found by the retries, nothing to restart
            late.launch().withTestImage();
            awaitReachable(collector, lateEndpoint);
            assertThat(linesAbout(collector, lateEndpoint)).as("retries are not logged one by one").isEqualTo(1);
            String lateOne = Docker.uniqueName("fleet-late");
            late.docker("run", "--name", lateOne, TEST_IMAGE, "echo", "late up");
            awaitAllSources(collector, lateOne, "late up", lateEndpoint);
            JsonNode lateLine = collector.records(kind("log").and(containerName(lateOne))).get(0);
            assertThat(lateLine.path("host").path("daemon_id").asText()).isEqualTo(late.id());

            // the flaky daemon goes away: said once; the main daemon is not disturbed
            flaky.stop();
            String whileAway = Docker.uniqueName("fleet-main");
            try {
                docker("run", "--name", whileAway, TEST_IMAGE, "echo", "main while flaky is away");
                awaitAllSources(collector, whileAway, "main while flaky is away", MAIN_ENDPOINT);
            } finally {
                Docker.removeQuietly(whileAway);
            }
            assertThat(linesAbout(collector, flakyEndpoint)).isEqualTo(1);

            // ... and comes back: every source resumes on it
            flaky.launch();
            awaitReachable(collector, flakyEndpoint);
            String second = Docker.uniqueName("fleet-flaky");
            flaky.docker("run", "--name", second, TEST_IMAGE, "echo", "flaky back");
            awaitAllSources(collector, second, "flaky back", flakyEndpoint);

            assertThat(collector.stop()).isZero();
        }
    }
}
