package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.settings.Settings;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container stats from the real daemon, read back from the collector's NDJSON output. */
class StatsIT {
    private static final String INTERVAL = "2s";
    private static final long MEMORY_LIMIT = 64L * 1024 * 1024;

    @TempDir
    Path work;

    @Test
    void throttledBusyLoopMemoryLimitOptOutAndNoStatsAfterTheContainerStops() throws Exception {
        String busy = Docker.uniqueName("stats-busy");
        String limited = Docker.uniqueName("stats-mem");
        String optedOut = Docker.uniqueName("stats-optout");
        try (Collector collector = new Collector(work).with(Settings.STATS_INTERVAL, INTERVAL)) {
            String busyId = docker("run", "-d", "--name", busy, "--cpus", "0.1", TEST_IMAGE, "sh", "-c", "while :; do :; done");
            docker("run", "-d", "--name", limited, "-m", "64m", TEST_IMAGE, "sleep", "600");
            docker("run", "-d", "--name", optedOut, "--label", "dockwatch.enable=false", TEST_IMAGE, "sleep", "600");
            collector.start();

            Predicate<JsonNode> busyStats = kind("stats").and(containerName(busy));
            List<JsonNode> records = collector.awaitRecords(busyStats.and(r -> r.path("stats").path("cpu").has("percent")),
                    4, Duration.ofSeconds(60));
            JsonNode last = records.get(records.size() - 1);
            assertThat(last.path("container").path("id").asText()).isEqualTo(busyId);
            assertThat(last.path("container").path("image").path("name").asText()).isEqualTo(TEST_IMAGE);
            assertThat(last.path("host").path("name").asText()).isEqualTo(docker("info", "--format", "{{.Name}}"));
            assertThat(last.path("stats").path("cpu").path("throttled_periods").asLong()).isPositive();
            assertThat(last.path("stats").path("cpu").path("throttled_time_ns").asLong()).isPositive();
            // --cpus 0.1: a busy loop gets a tenth of a core (median, as the shared machine is noisy)
            double[] percents = records.stream().mapToDouble(r -> r.path("stats").path("cpu").path("percent").asDouble())
                    .sorted().toArray();
            assertThat(percents[percents.length / 2]).isBetween(6.0, 13.0);
            assertThat(last.path("stats").path("pids").path("current").asLong()).isPositive();
            assertThat(last.path("stats").path("network").has("rx_bytes")).isTrue();

            JsonNode mem = collector.awaitRecords(kind("stats").and(containerName(limited)), 1, Duration.ofSeconds(30))
                    .get(0).path("stats").path("memory");
            assertThat(mem.path("limit_bytes").asLong()).isEqualTo(MEMORY_LIMIT);
            assertThat(mem.path("usage_bytes").asLong()).isPositive();
            assertThat(mem.path("working_set_bytes").asLong()).isBetween(0L, mem.path("usage_bytes").asLong());

            assertThat(collector.records(kind("stats").and(containerName(optedOut)))).isEmpty();

            docker("kill", busy);
            // its die event explains itself with the last stats sample
            JsonNode die = collector.awaitRecords(Collector.event(busy, "die"), 1, Duration.ofSeconds(30)).get(0);
            assertThat(die.path("context").path("stats").path("cpu").path("throttled_periods").asLong()).isPositive();
            Thread.sleep(2000); // an answer already in flight may still land, and the sink writes in batches
            int afterStop = collector.records(busyStats).size();
            Thread.sleep(3 * 2000);
            assertThat(collector.records(busyStats)).hasSize(afterStop);
            assertThat(collector.records(kind("stats").and(containerName(limited))).size()).isGreaterThan(1);
            assertThat(collector.stop()).isZero();
        } finally {
            Docker.removeQuietly(busy, limited, optedOut);
        }
    }
}
