package io.dockwatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.FreePort;
import io.dockwatch.testing.Http;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health and the collector's own feedback as an operator sees them: a second daemon that does not
 * answer and a sink that cannot write turn {@code /observe/health} DOWN with the reasons, each
 * says so in one log line, and the sink's recovery is logged and shows in health and metrics.
 */
class OpsHealthIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void anUnreachableDaemonAndAFailingSinkTurnHealthDownAndTheSinksRecoveryShows() throws IOException {
        String deadDaemon = "tcp://127.0.0.1:" + FreePort.pick();
        Path out = work.resolve("out");
        Files.writeString(out, "a file where the sink wants its folder"); // the file sink cannot write here
        try (Collector collector = new Collector(work)
                .with("dockwatch.docker.hosts", "unix:///var/run/docker.sock," + deadDaemon)
                .with("dockwatch.health.daemon.down.after", "2s")
                .with("dockwatch.health.sink.down.after", "2s")
                .with("dockwatch.containers.include", "dwt-ops-health-none") // events and config suffice here
                .start()) {
            String base = collector.baseUrl();

            await("health DOWN").atMost(WAIT).pollInterval(Duration.ofMillis(300))
                    .until(() -> Http.get(base + "/observe/health").status() == 503
                            && check(base, "sink file").path("status").asText().equals("DOWN")
                            && check(base, "daemon " + deadDaemon).path("status").asText().equals("DOWN"));
            assertThat(check(base, "daemon " + deadDaemon).path("reason").asText()).startsWith("unreachable for ");
            assertThat(check(base, "daemon unix:///var/run/docker.sock").path("status").asText()).isEqualTo("UP");
            assertThat(check(base, "sink file").path("reason").asText()).startsWith("failing for ");
            // alive and ready all the same: restarting it would not help
            assertThat(Http.get(base + "/observe/health/live").status()).isEqualTo(200);
            assertThat(Http.get(base + "/observe/health/ready").status()).isEqualTo(200);
            assertThat(collector.logText())
                    .containsOnlyOnce("Lost Docker events from " + deadDaemon + ":")
                    .containsOnlyOnce("Sink file failing:");
            String failingMetrics = Http.get(base + "/observe/metrics").body();
            assertThat(failingMetrics).contains("dockwatch_sink_up{sink=\"file\"} 0\n")
                    .contains("dockwatch_daemon_up{daemon=\"" + deadDaemon + "\"} 0\n")
                    .contains("dockwatch_daemons_connected 1\n");
            assertThat(metric(failingMetrics, "dockwatch_sink_records_failed_total{sink=\"file\"}")).isPositive();

            Files.delete(out); // the operator fixes the destination

            await("sink recovered").atMost(WAIT).pollInterval(Duration.ofMillis(300))
                    .until(() -> collector.logText().contains("Sink file recovered after"));
            assertThat(check(base, "sink file").path("status").asText()).isEqualTo("UP");
            String metrics = Http.get(base + "/observe/metrics").body();
            assertThat(metrics).contains("dockwatch_sink_up{sink=\"file\"} 1\n");
            assertThat(metric(metrics, "dockwatch_sink_records_retried_total{sink=\"file\"}")).isPositive();
            assertThat(metric(metrics, "dockwatch_sink_records_total{sink=\"file\"}")).isPositive();
            assertThat(collector.records()).isNotEmpty(); // what waited in the spool arrived
            // the dead daemon still holds health DOWN
            assertThat(Http.get(base + "/observe/health").status()).isEqualTo(503);
            assertThat(collector.stop()).isZero();
        }
    }

    @Test
    void boundOffLoopbackWithoutATokenItRefusesToStartWithOneLine() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(Collector.jvmOptions());
        cmd.addAll(List.of("-Ddockwatch.http.host=0.0.0.0", "-Ddockwatch.http.port=0",
                "-Ddockwatch.output.dir=" + work.resolve("out"), "-Ddockwatch.state.dir=" + work.resolve("state"),
                "-jar", Collector.jar().toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output).isEqualTo("dockwatch: Invalid setting dockwatch.http.token=: allowed a secret token when "
                + "dockwatch.http.host=0.0.0.0 is not a loopback address (or dockwatch.http.token.file, or bind to 127.0.0.1)");
    }

    private static JsonNode check(String base, String name) throws IOException {
        JsonNode health = Json.MAPPER.readTree(Http.get(base + "/observe/health").body());
        for (JsonNode c : health.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        return Json.NODES.objectNode();
    }

    private static double metric(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return -1;
    }
}
