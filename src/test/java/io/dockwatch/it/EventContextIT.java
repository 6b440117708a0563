package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.event;
import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.RealDaemonTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events that need explaining carry the container's last lines, last stats and configuration. */
class EventContextIT extends RealDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(45);

    @Test
    void aFailingContainersDieRecordCarriesItsLastLinesAndConfiguration() {
        try (Collector collector = new Collector(work).start()) {
            String failing = name("exit7");
            String fine = name("exit0");
            Docker.tryDocker("run", "--name", failing, TEST_IMAGE, "sh", "-c", "seq 1 30; exit 7");
            Docker.tryDocker("run", "--name", fine, TEST_IMAGE, "sh", "-c", "echo ok");

            JsonNode die = collector.awaitRecords(event(failing, "die"), 1, WAIT).get(0);
            JsonNode config = collector.awaitRecords(kind("config").and(containerName(failing)), 1, WAIT).get(0);
            JsonNode fineDie = collector.awaitRecords(event(fine, "die"), 1, WAIT).get(0);
            assertThat(collector.stop()).isZero();

            assertThat(die.path("event").path("exit_code").asInt()).isEqualTo(7);
            JsonNode lines = die.path("context").path("logs");
            assertThat(lines).hasSize(20); // the default dockwatch.context.lines
            assertThat(lines.get(19).path("message").asText()).isEqualTo("30");
            assertThat(lines.get(0).path("message").asText()).isEqualTo("11");
            assertThat(lines.get(19).path("stream").asText()).isEqualTo("stdout");
            assertThat(die.path("context").path("config_hash").asText()).isEqualTo(config.path("config").path("hash").asText());
            assertThat(die.path("context").path("drifted").asBoolean()).isFalse();
            // a clean exit needs no explaining
            assertThat(fineDie.has("context")).isFalse();
        }
    }

    @Test
    void aKilledContainersKillRecordCarriesWhatItPrintedSoFar() {
        try (Collector collector = new Collector(work).with("dockwatch.context.lines", "3").start()) {
            String victim = name("victim");
            Docker.docker("run", "-d", "--name", victim, TEST_IMAGE, "sh", "-c", "echo one; echo two; echo three; echo four; sleep 300");
            collector.awaitRecords(kind("log").and(containerName(victim)), 4, WAIT);
            Docker.docker("kill", victim);

            JsonNode kill = collector.awaitRecords(event(victim, "kill"), 1, WAIT).get(0);
            assertThat(collector.stop()).isZero();
            assertThat(kill.path("context").path("logs")).extracting(l -> l.path("message").asText())
                    .containsExactly("two", "three", "four");
        }
    }

    @Test
    void anOomKilledContainersOomRecordCarriesItsLastStatsNearTheLimit() {
        long limit = 32L * 1024 * 1024;
        try (Collector collector = new Collector(work).with("dockwatch.stats.interval", "1s").start()) {
            String hungry = name("hungry");
            // fills its /dev/shm (charged to its memory) 1 MiB every 0.5 s until the 32 MiB limit kills
            // a writer: usage climbs evenly and slowly (2 MiB/s), so the last stats sample is close to the
            // limit even when a loaded machine delays a stats request by a couple of seconds
            Docker.tryDocker("run", "--name", hungry, "--memory", "32m", "--memory-swap", "32m", TEST_IMAGE, "sh", "-c",
                    "i=0; while true; do i=$((i+1)); head -c 1048576 /dev/zero > /dev/shm/f$i || exit 1; sleep 0.5; done");
            assertThat(Docker.docker("inspect", "--format", "{{.State.OOMKilled}}", hungry)).isEqualTo("true");

            JsonNode oom = collector.awaitRecords(event(hungry, "oom"), 1, WAIT).get(0);
            assertThat(collector.stop()).isZero();
            JsonNode memory = oom.path("context").path("stats").path("memory");
            assertThat(memory.path("limit_bytes").asLong()).isEqualTo(limit);
            assertThat(memory.path("usage_bytes").asLong()).as("last sample before the kill").isGreaterThan(limit * 3 / 4);
        }
    }
}
