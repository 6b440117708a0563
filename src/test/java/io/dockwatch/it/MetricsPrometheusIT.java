package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.FreePort;
import io.dockwatch.testing.Http;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's) scrapes the collector's {@code /observe/metrics}; the series are
 * read back through Prometheus's own query API, as a dashboard would.
 */
class MetricsPrometheusIT {
    private static final int LINES = 25;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;
    private final String printer = Docker.uniqueName("metrics");
    private Process prometheus;

    @AfterEach
    void cleanUp() throws InterruptedException {
        Docker.removeQuietly(printer);
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
    }

    @Test
    void prometheusScrapesRecordsInAndOutAndTheDaemonsState() throws IOException {
        // the daemon is shared: read only this test's container's logs, not other tests' millions of lines
        try (Collector collector = new Collector(work).with("dockwatch.containers.include", printer).start()) {
            docker("run", "-d", "--network", "none", "--name", printer, TEST_IMAGE, "sh", "-c", "seq 1 " + LINES + "; sleep 300");
            collector.awaitRecords(kind("log").and(containerName(printer)), LINES, WAIT);

            String target = collector.baseUrl().substring("http://".length());
            String prom = startPrometheus(target);

            // Prometheus's own view: the target is up and the series carry what the collector did
            await("prometheus scraped dockwatch").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> value(prom, "up{job=\"dockwatch\"}") == 1.0);
            await("log records in prometheus").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> value(prom, "dockwatch_source_records_total{source=\"logs\"}") >= LINES);
            double logsIn = value(prom, "dockwatch_source_records_total{source=\"logs\"}");
            assertThat(logsIn).isEqualTo(LINES);
            assertThat(value(prom, "dockwatch_source_bytes_total{source=\"logs\"}")).isGreaterThan(LINES * 100.0);
            assertThat(value(prom, "dockwatch_sink_records_total{sink=\"file\"}")).isGreaterThanOrEqualTo(logsIn);
            assertThat(value(prom, "dockwatch_sink_records_failed_total{sink=\"file\"}")).isZero();
            assertThat(value(prom, "dockwatch_daemons_connected")).isEqualTo(1.0);
            assertThat(value(prom, "dockwatch_containers_followed")).isGreaterThanOrEqualTo(1.0);
            assertThat(value(prom, "dockwatch_daemon_seconds_since_last_event")).isBetween(0.0, 120.0);
            assertThat(value(prom, "dockwatch_spool_size_bytes")).isGreaterThan(0.0);
            assertThat(value(prom, "dockwatch_spool_dropped_records_total")).isZero(); // the spool is far from full
            assertThat(collector.records(kind("log").and(containerName(printer)))).hasSize(LINES);
        }
    }

    private String startPrometheus(String target) throws IOException {
        int port = FreePort.pick();
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: dockwatch
                    metrics_path: /observe/metrics
                    static_configs:
                      - targets: ['%s']
                """.formatted(target));
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        String base = "http://127.0.0.1:" + port;
        await("prometheus ready").atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
            if (!prometheus.isAlive()) {
                throw new AssertionError("prometheus exited:\n" + Files.readString(work.resolve("prometheus.log")));
            }
            try {
                return Http.get(base + "/-/ready").status() == 200;
            } catch (IllegalStateException notYet) {
                return false;
            }
        });
        return base;
    }

    /** The instant value of a PromQL expression (the sum when several series match); -1 when none does. */
    private static double value(String prometheus, String promql) throws IOException {
        Http.Response r = Http.get(prometheus + "/api/v1/query?query="
                + URLEncoder.encode("sum(" + promql + ")", StandardCharsets.UTF_8));
        JsonNode result = Json.MAPPER.readTree(r.body()).path("data").path("result");
        if (!result.isArray() || result.isEmpty()) {
            return -1;
        }
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }
}
