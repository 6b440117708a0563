package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.event;
import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.CuttableDockerProxy;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.RealDaemonTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Container logs from the real daemon: every line, exactly once, whole. */
class LogsIT extends RealDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** A collector reading logs the default way (from json-file files where readable); LogsApiPathIT reads them through the API. */
    protected Collector collector() {
        return new Collector(work);
    }

    private static Predicate<JsonNode> logOf(String container) {
        return kind("log").and(containerName(container));
    }

    /** How many times each message occurs in the container's log records. */
    private static Map<String, Long> messageCounts(Collector c, String container) {
        return c.records(logOf(container)).stream()
                .collect(Collectors.groupingBy(r -> r.path("message").asText(), TreeMap::new, Collectors.counting()));
    }

    private static void assertEachNumberOnce(Collector c, String container, int n) {
        Map<String, Long> counts = messageCounts(c, container);
        assertThat(counts).as("distinct lines of %s", container).hasSize(n);
        assertThat(counts.values()).as("each line of %s once", container).containsOnly(1L);
        assertThat(counts).containsKeys("1", String.valueOf(n));
    }

    @Test
    void everyLineOfSeveralBusyContainersExactlyOnce() {
        int lines = 30_000;
        try (Collector collector = collector().start()) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String n = name("busy");
                names.add(n);
                docker("run", "-d", "--name", n, TEST_IMAGE, "seq", "1", String.valueOf(lines));
            }
            for (String n : names) {
                collector.awaitRecords(logOf(n), lines, WAIT);
            }
            assertThat(collector.stop()).isZero();
            for (String n : names) {
                assertEachNumberOnce(collector, n, lines);
            }
        }
    }

    @Test
    void aCollectorKilledWhileLinesAreWrittenNeitherLosesNorRepeatsALine() throws Exception {
        int lines = 60_000;
        Collector collector = collector().start();
        try {
            String a = name("kill-a");
            String b = name("kill-b");
            // bursts of 1000 lines, 10 a second: the kill lands mid-stream, the restart comes before the end
            String loop = "i=0; while [ $i -lt " + lines + " ]; do i=$((i+1)); echo $i;"
                    + " if [ $((i % 1000)) -eq 0 ]; then sleep 0.1; fi; done";
            docker("run", "-d", "--name", a, TEST_IMAGE, "sh", "-c", loop);
            docker("run", "-d", "--name", b, TEST_IMAGE, "sh", "-c", loop + " >&2");
            collector.awaitRecords(logOf(a), 2000, WAIT);
            collector.kill();
            long linesBeforeKill = collector.completeLines();
            Thread.sleep(500);
            collector.start();
            collector.awaitRecords(logOf(a), lines, WAIT);
            collector.awaitRecords(logOf(b), lines, WAIT);
            assertThat(collector.stop()).isZero();

            assertThat(linesBeforeKill).as("the kill landed mid-stream").isLessThan(2L * lines);
            assertEachNumberOnce(collector, a, lines);
            assertEachNumberOnce(collector, b, lines);
            assertThat(collector.records(logOf(b))).allMatch(r -> r.path("log").path("stream").asText().equals("stderr"));
        } finally {
            collector.close();
        }
    }

    @Test
    void longLinesTtyStderrShortLivedAndGarbageComeOutWholeAndValid() {
        try (Collector collector = collector().start()) {
            String longLines = name("long");
            String tty = name("tty");
            String shortLived = name("short");
            String garbage = name("garbage");
            docker("run", "--name", longLines, TEST_IMAGE, "sh", "-c",
                    "head -c 20480 /dev/zero | tr '\\0' a; echo; head -c 1048576 /dev/zero | tr '\\0' b; echo; echo after");
            docker("run", "-t", "--name", tty, TEST_IMAGE, "sh", "-c", "echo on-a-tty; echo to-stderr-on-tty >&2");
            docker("run", "--name", shortLived, TEST_IMAGE, "sh", "-c", "echo x");
            docker("run", "--name", garbage, TEST_IMAGE, "sh", "-c", "head -c 20000 /dev/urandom; echo; echo tail-line");

            List<JsonNode> longRecords = collector.awaitRecords(logOf(longLines), 3, WAIT);
            assertThat(longRecords).extracting(r -> r.path("message").asText().length()).containsExactly(20480, 1048576, 5);
            assertThat(longRecords.get(1).path("message").asText()).matches("b+");

            List<JsonNode> ttyRecords = collector.awaitRecords(logOf(tty), 2, WAIT);
            assertThat(ttyRecords).extracting(r -> r.path("message").asText()).containsExactly("on-a-tty", "to-stderr-on-tty");
            assertThat(ttyRecords).allMatch(r -> r.path("log").path("stream").asText().equals("tty"));

            JsonNode x = collector.awaitRecords(logOf(shortLived), 1, WAIT).get(0);
            assertThat(x.path("message").asText()).isEqualTo("x");
            assertThat(x.path("log").path("stream").asText()).isEqualTo("stdout");
            assertThat(x.path("container").path("image").path("name").asText()).isEqualTo(TEST_IMAGE);

            // records() parses every line of the output as JSON: random bytes did not break it
            List<JsonNode> garbageRecords = collector.awaitRecords(logOf(garbage).and(r -> r.path("message").asText().equals("tail-line")), 1, WAIT);
            assertThat(garbageRecords).hasSize(1);
            assertThat(collector.stop()).isZero();
        }
    }

    @Test
    void optedOutContainersAreNotReadButTheirEventsAreRecorded() {
        try (Collector collector = collector().with("dockwatch.containers.exclude", "dwt-excluded-*").start()) {
            String optedOut = name("optout");
            String excluded = name("excluded");
            String control = name("control");
            docker("run", "--name", optedOut, "-l", "dockwatch.enable=false", TEST_IMAGE, "sh", "-c", "echo secret-line");
            docker("run", "--name", excluded, TEST_IMAGE, "sh", "-c", "echo excluded-line");
            docker("run", "--name", control, TEST_IMAGE, "sh", "-c", "echo visible-line");

            collector.awaitRecords(logOf(control), 1, WAIT);
            collector.awaitRecords(event(optedOut, "die"), 1, WAIT);
            collector.awaitRecords(kind("config").and(containerName(optedOut)), 1, WAIT);
            assertThat(collector.stop()).isZero();
            assertThat(collector.records(logOf(optedOut))).isEmpty();
            assertThat(collector.records(logOf(excluded))).isEmpty();
        }
    }

    @Test
    void aContainerRestartedMidStreamContinuesWithoutRepeats() {
        try (Collector collector = collector().start()) {
            String restarted = name("restarted");
            docker("run", "-d", "--name", restarted, TEST_IMAGE, "sh", "-c", "seq 1 500; sleep 300");
            collector.awaitRecords(logOf(restarted), 500, WAIT);
            docker("restart", "-t", "0", restarted);
            collector.awaitRecords(logOf(restarted), 1000, WAIT);
            Awaitility.await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
            assertThat(collector.stop()).isZero();

            Map<String, Long> counts = messageCounts(collector, restarted);
            assertThat(counts).hasSize(500);
            assertThat(counts.values()).containsOnly(2L); // once per run, never more
        }
    }

    @Test
    void continuationLinesMergeIntoOneRecordWhenAContainerAsksForIt() {
        try (Collector collector = collector().start()) {
            String java = name("stacktrace");
            docker("run", "--name", java, "-l", "dockwatch.multiline.start=^\\S", TEST_IMAGE, "sh", "-c",
                    "echo 'Exception in thread main java.lang.IllegalStateException: boom';"
                            + " printf '\\tat a.B.c(B.java:1)\\n\\tat a.B.main(B.java:2)\\n'; echo 'next event'");

            List<JsonNode> records = collector.awaitRecords(logOf(java), 2, WAIT);
            assertThat(collector.stop()).isZero();
            assertThat(collector.records(logOf(java))).hasSize(2);
            assertThat(records.get(0).path("message").asText())
                    .isEqualTo("Exception in thread main java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n\tat a.B.main(B.java:2)");
            assertThat(records.get(1).path("message").asText()).isEqualTo("next event");
        }
    }

    @Test
    void withoutACheckpointTheBacklogSettingDecidesWhereAContainerStarts() {
        String old = name("backlog");
        docker("run", "-d", "--name", old, TEST_IMAGE, "sh", "-c", "seq 1 100; sleep 300");
        Awaitility.await().atMost(WAIT).until(() -> docker("logs", old).endsWith("100"));
        try (Collector collector = collector().with("dockwatch.logs.backlog", "10").start()) {
            collector.awaitRecords(logOf(old), 10, WAIT);
            Awaitility.await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
            assertThat(collector.stop()).isZero();
            assertThat(messageCounts(collector, old)).containsOnlyKeys("91", "92", "93", "94", "95", "96", "97", "98", "99", "100");
        }
    }

    @Test
    void aBrokenLogStreamIsReadAgainFromItsCheckpointWhileTheContainerRuns() throws Exception {
        String c = name("cut");
        // shared daemon: only this container's log stream goes through the proxy, so it cuts exactly one
        try (CuttableDockerProxy proxy = new CuttableDockerProxy();
             Collector collector = collector().with("dockwatch.docker.hosts", proxy.uri().toString())
                     .with("dockwatch.containers.include", c)
                     .with("dockwatch.logs.read", "api").start()) { // the proxy cuts API streams
            // a numbered line every 20 ms for a minute or more: the test is over long before the container
            docker("run", "-d", "--name", c, TEST_IMAGE, "sh", "-c",
                    "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); echo $i; sleep 0.02; done");
            collector.awaitRecords(logOf(c), 50, WAIT);

            String id = docker("inspect", "--format", "{{.Id}}", c).trim();
            assertThat(proxy.cut("/containers/" + id + "/logs")).as("log connections cut").isEqualTo(1);
            int atCut = collector.records(logOf(c)).size();

            // the lines written after the cut come while the container still runs, not at its end
            collector.awaitRecords(logOf(c), atCut + 200, Duration.ofSeconds(20));
            assertThat(docker("inspect", "--format", "{{.State.Running}}", c)).isEqualTo("true");
            assertThat(collector.logText()).contains("Log stream of").contains("reading it again from its checkpoint");
            Map<String, Long> counts = messageCounts(collector, c);
            long max = counts.keySet().stream().mapToLong(Long::parseLong).max().orElseThrow();
            assertThat(counts).as("1..%d, each once", max).hasSize((int) max);
            assertThat(counts.values()).containsOnly(1L);
        }
    }
}
