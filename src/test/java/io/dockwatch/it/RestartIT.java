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
import io.dockwatch.testing.DockerEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Nothing lost, nothing twice: across collector stops, SIGKILLs and a dockerd restart. */
class RestartIT extends RealDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(45);

    private String runAndExit(String prefix, int code) {
        String name = containers.name(prefix);
        Docker.tryDocker("run", "--name", name, TEST_IMAGE, "sh", "-c", "exit " + code);
        return name;
    }

    /** Each of these containers' start and die events appears exactly once in the output. */
    private static void assertExactlyOnce(Collector collector, List<String> names) {
        Map<String, Long> counts = collector.records(kind("event")).stream()
                .filter(r -> names.contains(r.path("container").path("name").asText()))
                .filter(r -> List.of("start", "die").contains(r.path("event").path("action").asText()))
                .collect(Collectors.groupingBy(r -> r.path("container").path("name").asText() + ":"
                        + r.path("event").path("action").asText(), Collectors.counting()));
        Map<String, Long> expected = names.stream().flatMap(n -> List.of(n + ":start", n + ":die").stream())
                .collect(Collectors.toMap(Function.identity(), k -> 1L));
        assertThat(counts).isEqualTo(expected);
    }

    @Test
    void eventsWhileTheCollectorWasStoppedOrKilledArriveOnceAfterItsRestart() {
        List<String> names = new ArrayList<>();
        try (Collector collector = new Collector(work).start()) {
            names.add(runAndExit("before-stop", 0));
            collector.awaitRecords(event(names.get(0), "die"), 1, WAIT);
            assertThat(collector.stop()).isZero();

            names.add(runAndExit("while-stopped", 1));
            collector.start();
            collector.awaitRecords(event(names.get(1), "die"), 1, WAIT);

            names.add(runAndExit("before-kill", 2));
            collector.awaitRecords(event(names.get(2), "die"), 1, WAIT);
            collector.kill();

            names.add(runAndExit("while-killed", 3));
            collector.start();
            collector.awaitRecords(event(names.get(3), "die"), 1, WAIT);
            names.add(runAndExit("after", 4));
            collector.awaitRecords(event(names.get(4), "die"), 1, WAIT);
            assertThat(collector.stop()).isZero();

            assertExactlyOnce(collector, names);
            JsonNode die = collector.records(event(names.get(3), "die")).get(0);
            assertThat(die.path("event").path("exit_code").asInt()).isEqualTo(3);
        }
    }

    @Test
    void afterDockerdRestartsTheCollectorRecordsNewEventsWithoutBeingRestarted() {
        try (Collector collector = new Collector(work).start()) {
            String first = runAndExit("pre-restart", 0);
            collector.awaitRecords(event(first, "die"), 1, WAIT);

            DockerEngine.restart();

            String second = runAndExit("post-restart", 5);
            JsonNode die = collector.awaitRecords(event(second, "die"), 1, WAIT).get(0);
            assertThat(die.path("event").path("exit_code").asInt()).isEqualTo(5);
            assertThat(collector.isAlive()).isTrue();
            assertThat(collector.logText()).contains("Lost Docker events").contains("is back");
            assertThat(collector.stop()).isZero();
            assertExactlyOnce(collector, List.of(first, second));
        }
    }
}
