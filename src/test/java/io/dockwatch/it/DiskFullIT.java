package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.kind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.Http;
import io.dockwatch.testing.RealDaemonTest;
import io.dockwatch.testing.SmallFileSystem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A disk that fills up while a container prints, then gets space back: the state dir (spool) in
 * one case, the file sink's output in the other, each on a real small tmpfs filled with a ballast
 * file. Every line arrives exactly once, every output line is JSON, the collector stays up, and
 * the pause shows in its log, metrics and health.
 */
class DiskFullIT extends RealDaemonTest {
    private static final int LINES = 60_000;
    private static final Duration WAIT = Duration.ofSeconds(90);

    /** 60,000 numbered lines in 60 bursts, so the disk fills while the container still prints. */
    private static void startPrinting(String name) {
        Docker.docker("run", "-d", "--network", "none", "--name", name, Docker.TEST_IMAGE, "sh", "-c",
                "for b in $(seq 0 59); do seq $((b*1000+1)) $((b*1000+1000)); sleep 0.2; done");
    }

    private static List<JsonNode> lines(Collector collector, String name) {
        return collector.records(kind("log").and(containerName(name))); // fails on a line that is not JSON
    }

    private static void awaitLines(Collector collector, String name, int n) {
        try {
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
                assertThat(collector.isAlive()).as("collector alive").isTrue();
                return lines(collector, name).size() >= n;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("Expected " + n + " lines, found " + lines(collector, name).size() + "; log:\n"
                    + collector.logText(), e);
        }
    }

    /** Each of 1..60000 exactly once. */
    private static void assertEveryLineOnce(Collector collector, String name) {
        Map<String, Long> counts = lines(collector, name).stream()
                .collect(Collectors.groupingBy(r -> r.path("message").asText(), Collectors.counting()));
        Map<String, Long> twice = counts.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(twice).as("lines recorded more than once").isEmpty();
        Map<String, Long> expected = java.util.stream.IntStream.rangeClosed(1, LINES).mapToObj(Integer::toString)
                .collect(Collectors.toMap(Function.identity(), k -> 1L));
        assertThat(counts).isEqualTo(expected);
    }

    @Test
    void aFullStateDiskPausesTheSourcesAndEveryLineArrivesOnceWhenSpaceReturns() throws Exception {
        String name = name("disk-full");
        try (SmallFileSystem disk = SmallFileSystem.mount(work.resolve("state"), "16m");
                Collector collector = new Collector(work)
                        // only this test's container: the daemon is shared with other tests
                        .with("dockwatch.containers.include", name)
                        // a spool bound below the disk's size, as one sets it on a small disk
                        .with("dockwatch.spool.max.bytes", "4mb")
                        .start()) {
            startPrinting(name);
            awaitLines(collector, name, 5_000);

            disk.fill();
            await().atMost(Duration.ofSeconds(20)).until(() -> collector.logText().contains("Spool cannot write"));
            String base = collector.baseUrl();
            assertThat(Http.get(base + "/observe/metrics").body()).contains("dockwatch_disk_full{spool=\"records\"} 1\n");
            Http.Response health = Http.get(base + "/observe/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body()).contains("spool records").contains("No space left on device");
            Thread.sleep(3000); // the container goes on printing; Docker keeps it
            assertThat(collector.isAlive()).isTrue();

            disk.free();
            await().atMost(Duration.ofSeconds(20)).until(() -> collector.logText().contains("Spool writes again"));
            awaitLines(collector, name, LINES);
            Thread.sleep(1000); // anything twice would show up by now
            assertEveryLineOnce(collector, name);

            String log = collector.logText();
            assertThat(log.split("Spool cannot write", -1)).as("one WARN for the whole pause").hasSize(2);
            String metrics = Http.get(base + "/observe/metrics").body();
            assertThat(metrics).contains("dockwatch_disk_full{spool=\"records\"} 0\n");
            assertThat(pausedSeconds(metrics)).as("sources waited").isGreaterThan(0);
            assertThat(Http.get(base + "/observe/health").status()).isEqualTo(200);
            assertThat(collector.stop()).isZero();
        }
    }

    @Test
    void aFullOutputDiskHoldsTheFileSinkBackWithoutATornOrRepeatedLine() throws Exception {
        String name = name("disk-full");
        try (SmallFileSystem disk = SmallFileSystem.mount(work.resolve("out"), "64m");
                Collector collector = new Collector(work)
                        .with("dockwatch.containers.include", name)
                        .with("dockwatch.health.sink.down.after", "1s")
                        .start()) {
            startPrinting(name);
            awaitLines(collector, name, 5_000);

            disk.fill();
            await().atMost(Duration.ofSeconds(20)).until(() -> collector.logText().contains("Sink file failing"));
            String base = collector.baseUrl();
            await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(base + "/observe/health").status() == 503);
            assertThat(Http.get(base + "/observe/metrics").body()).contains("dockwatch_sink_up{sink=\"file\"} 0\n");
            Thread.sleep(3000);
            assertThat(collector.isAlive()).isTrue();

            disk.free();
            awaitLines(collector, name, LINES);
            Thread.sleep(1000);
            assertEveryLineOnce(collector, name);
            assertThat(collector.logText()).contains("Sink file recovered");
            assertThat(collector.stop()).isZero();
        }
    }

    private static double pausedSeconds(String metrics) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith("dockwatch_spool_paused_seconds_total{spool=\"records\"}")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no dockwatch_spool_paused_seconds_total in:\n" + metrics);
    }
}
