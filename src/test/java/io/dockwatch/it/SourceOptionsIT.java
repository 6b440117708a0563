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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source's options set the Camel way reach its consumer on the real jar and daemon, for that
 * source only: camel.component.docker-stats.include and .interval narrow and speed up stats while
 * the logs of every container are still read, at the dockwatch.* settings' values.
 */
class SourceOptionsIT {
    @TempDir
    Path work;

    @Test
    void statsFollowTheirComponentsOptionsAndLogsTheSettings() throws Exception {
        String watched = Docker.uniqueName("srcopt-watched");
        String other = Docker.uniqueName("srcopt-other");
        try (Collector collector = new Collector(work)
                .with(Settings.STATS_INTERVAL, "1m") // the setting: one sample a minute at most
                .with("camel.component.docker-stats.interval", "1s")
                .with("camel.component.docker-stats.include", watched)) {
            for (String name : List.of(watched, other)) {
                docker("run", "-d", "--name", name, TEST_IMAGE, "sh", "-c", "echo hello from " + name + "; sleep 600");
            }
            collector.start();

            // one a second, not one a minute: 4 samples arrive well within the minute
            List<JsonNode> stats = collector.awaitRecords(kind("stats").and(containerName(watched)), 4, Duration.ofSeconds(45));
            assertThat(stats).hasSizeGreaterThanOrEqualTo(4);
            // the logs source has no include of its own: both containers' lines arrive
            collector.awaitRecords(kind("log").and(containerName(other)), 1, Duration.ofSeconds(30));
            collector.awaitRecords(kind("log").and(containerName(watched)), 1, Duration.ofSeconds(30));
            assertThat(collector.records(kind("stats").and(containerName(other))))
                    .as("stats of a container docker-stats does not include").isEmpty();
            assertThat(collector.stop()).isZero();
        } finally {
            Docker.removeQuietly(watched, other);
        }
    }
}
