package io.dockwatch.it;

import static io.dockwatch.testing.Collector.event;
import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.RealDaemonTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lifecycle events from the real daemon, as records in the NDJSON output. */
class EventsIT extends RealDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String exits = name("exits");
    private final String killed = name("killed");
    private final String oom = name("oom");

    @Test
    void startDieKillOomAndDestroyAreRecordedWithTheirDetails() {
        try (Collector collector = new Collector(work).start()) {
            Docker.tryDocker("run", "--name", exits, "-l", "team=payments", TEST_IMAGE, "sh", "-c", "exit 3");
            docker("run", "-d", "--name", killed, TEST_IMAGE, "sleep", "300");
            docker("kill", killed);
            // tail buffers /dev/zero looking for a newline until the 8 MiB limit kills it
            Docker.tryDocker("run", "--name", oom, "--memory", "8m", "--memory-swap", "8m", TEST_IMAGE, "tail", "/dev/zero");
            docker("rm", exits);
            assertThat(docker("inspect", "--format", "{{.State.OOMKilled}}", oom)).as("the kernel OOM-killed it").isEqualTo("true");

            JsonNode start = collector.awaitRecords(event(exits, "start"), 1, WAIT).get(0);
            JsonNode die = collector.awaitRecords(event(exits, "die"), 1, WAIT).get(0);
            JsonNode kill = collector.awaitRecords(event(killed, "kill"), 1, WAIT).get(0);
            collector.awaitRecords(event(oom, "oom"), 1, WAIT);
            JsonNode oomDie = collector.awaitRecords(event(oom, "die"), 1, WAIT).get(0);
            collector.awaitRecords(event(exits, "destroy"), 1, WAIT);

            assertThat(die.path("event").path("exit_code").asInt()).isEqualTo(3);
            assertThat(oomDie.path("event").path("exit_code").asInt()).isEqualTo(137);
            assertThat(kill.path("event").path("attributes").path("signal").asText()).isEqualTo("9");
            assertThat(start.path("event").path("type").asText()).isEqualTo("container");
            assertThat(start.path("container").path("image").path("name").asText()).isEqualTo(TEST_IMAGE);
            assertThat(start.path("container").path("labels").path("team").asText()).isEqualTo("payments");
            assertThat(start.path("host").path("name").asText()).isEqualTo(docker("info", "--format", "{{.Name}}"));
            assertThat(start.path("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

            // other object types are events too
            List<JsonNode> network = collector.records(kind("event").and(r -> r.path("event").path("type").asText().equals("network")));
            assertThat(network).isNotEmpty();
            assertThat(collector.stop()).isZero();
        }
    }
}
