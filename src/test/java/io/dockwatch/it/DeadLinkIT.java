package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.event;
import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.CuttableDockerProxy;
import io.dockwatch.testing.FreePort;
import io.dockwatch.testing.Http;
import io.dockwatch.testing.LinkDropper;
import io.dockwatch.testing.RealDaemonTest;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A remote daemon whose link dies without a word: every packet between the collector and the
 * daemon's TCP endpoint (a proxy in front of the real daemon) is dropped for 20 s while the proxy
 * restarts and its kernel forgets the connections, as a NAT or firewall idle timeout does. No
 * FIN or reset ever reaches the collector. It must notice, show the daemon DOWN meanwhile, and
 * be back within 60 s of the link's return with every event and log line exactly once.
 */
class DeadLinkIT extends RealDaemonTest {
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final Duration BACK_WITHIN = Duration.ofSeconds(60);
    private static final int LINES_A = 250;
    private static final int LINES_B = 100;
    /** The daemon's one unfiltered event stream (a swarm manager has a filtered one besides). */
    private static final Predicate<String> SHARED_EVENT_STREAM = line -> line.contains("/events") && !line.contains("filters=");

    private static Predicate<JsonNode> logOf(String container) {
        return kind("log").and(containerName(container));
    }

    private static Map<String, Long> messageCounts(Collector c, String container) {
        return c.records(logOf(container)).stream()
                .collect(Collectors.groupingBy(r -> r.path("message").asText(), TreeMap::new, Collectors.counting()));
    }

    /** The health check of the daemon, or a missing node. */
    private static JsonNode daemonCheck(Collector c, String endpoint) throws Exception {
        JsonNode health = Json.MAPPER.readTree(Http.get(c.baseUrl() + "/observe/health").body());
        for (JsonNode check : health.path("checks")) {
            if (("daemon " + endpoint).equals(check.path("name").asText())) {
                return check;
            }
        }
        return Json.NODES.missingNode();
    }

    @Test
    void aSilentlyDroppedLinkIsShownDownAndBackWithin60sWithEveryEventAndLineOnce() throws Exception {
        int port = FreePort.pick();
        String endpoint = "tcp://127.0.0.1:" + port;
        CuttableDockerProxy proxy = new CuttableDockerProxy(port);
        try (LinkDropper link = new LinkDropper(port);
             Collector collector = new Collector(work).with("dockwatch.docker.hosts", endpoint)
                     // logs and stats of this test's containers only: the shared daemon runs other tests' too
                     .with("dockwatch.containers.include", "dwt-deadlink-*").start()) {
            String a = name("deadlink-a");
            // a numbered line every ~0.1 s (25 s on an idle machine): through the whole outage and a little after it
            docker("run", "-d", "--network", "none", "--name", a, TEST_IMAGE, "sh", "-c",
                    "i=0; while [ $i -lt " + LINES_A + " ]; do i=$((i+1)); echo $i; sleep 0.1; done");
            collector.awaitRecords(logOf(a), 10, Duration.ofSeconds(30));
            assertThat(daemonCheck(collector, endpoint).path("status").asText()).isEqualTo("UP");

            link.drop();
            long droppedAt = System.nanoTime();
            proxy.close(); // the far end restarts...
            int forgotten = link.forgetConnections(); // ...and its kernel forgets every connection
            assertThat(forgotten).as("connections of the collector through the proxy").isPositive();
            proxy = new CuttableDockerProxy(port);

            try {
                await("daemon DOWN during the outage").atMost(OUTAGE.minusSeconds(2)).pollInterval(Duration.ofMillis(250))
                        .until(() -> daemonCheck(collector, endpoint).path("status").asText().equals("DOWN"));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("no DOWN within the outage; collector log:\n" + collector.logText(), e);
            }
            double downAfterS = (System.nanoTime() - droppedAt) / 1e9;
            JsonNode down = daemonCheck(collector, endpoint);
            long linesAtDown = collector.records(logOf(a)).size();
            long sleepMs = OUTAGE.toMillis() - (System.nanoTime() - droppedAt) / 1_000_000;
            Thread.sleep(Math.max(0, sleepMs));
            assertThat(daemonCheck(collector, endpoint).path("status").asText()).as("still DOWN at the outage's end")
                    .isEqualTo("DOWN");

            link.restore();
            long restoredAt = System.nanoTime();
            String b = name("deadlink-b");
            docker("run", "-d", "--network", "none", "--name", b, TEST_IMAGE, "seq", "1", String.valueOf(LINES_B));

            Duration left = BACK_WITHIN;
            collector.awaitRecords(event(b, "start"), 1, left);
            double eventsBackS = (System.nanoTime() - restoredAt) / 1e9;
            left = BACK_WITHIN.minusNanos(System.nanoTime() - restoredAt);
            collector.awaitRecords(event(b, "die"), 1, left);
            left = BACK_WITHIN.minusNanos(System.nanoTime() - restoredAt);
            collector.awaitRecords(logOf(b), LINES_B, left);
            left = BACK_WITHIN.minusNanos(System.nanoTime() - restoredAt);
            collector.awaitRecords(logOf(a), LINES_A, left);
            double allBackS = (System.nanoTime() - restoredAt) / 1e9;
            await("daemon UP again").atMost(BACK_WITHIN.minusNanos(System.nanoTime() - restoredAt))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> daemonCheck(collector, endpoint).path("status").asText().equals("UP"));

            System.out.printf("DeadLinkIT: %d connections forgotten; health DOWN %.1f s after the drop (%s);"
                    + " %d lines of A recorded then; after the restore: B's start event in %.1f s, every line in %.1f s%n",
                    forgotten, downAfterS, down.path("reason").asText(), linesAtDown, eventsBackS, allBackS);

            for (var e : Map.of(a, LINES_A, b, LINES_B).entrySet()) {
                Map<String, Long> counts = messageCounts(collector, e.getKey());
                assertThat(counts).as("distinct lines of %s", e.getKey()).hasSize(e.getValue());
                assertThat(counts.values()).as("each line of %s once", e.getKey()).containsOnly(1L);
                assertThat(counts).containsKeys("1", String.valueOf(e.getValue()));
            }
            for (String action : new String[] {"create", "start", "die"}) {
                assertThat(collector.records(event(b, action))).as("%s events of %s", action, b).hasSize(1);
            }
            assertThat(collector.records(event(a, "start"))).as("start events of %s", a).hasSize(1);
            assertThat(collector.stop()).isZero();
        } finally {
            proxy.close();
        }
    }

    @Test
    void aQuietStreamWhoseConnectionAloneDiesIsReconnectedByKeepaliveWhileTheDaemonStaysUp() throws Exception {
        int port = FreePort.pick();
        String endpoint = "tcp://127.0.0.1:" + port;
        try (CuttableDockerProxy proxy = new CuttableDockerProxy(port);
             Collector collector = new Collector(work).with("dockwatch.docker.hosts", endpoint)
                     .with("dockwatch.containers.include", "dwt-deadlink-*").start()) {
            try {
                await("event stream open").atMost(Duration.ofSeconds(60)).until(() -> proxy.clientPorts(SHARED_EVENT_STREAM).size() == 1);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("connections through the proxy: " + proxy.openRequestLines() + "; collector log:\n"
                        + collector.logText(), e);
            }
            int eventsPort = proxy.clientPorts(SHARED_EVENT_STREAM).get(0);
            String c = name("deadlink-quiet");
            // a NAT that forgot this one mapping: new connections (pings, requests) still get through
            try (LinkDropper link = LinkDropper.oneConnection(port, eventsPort)) {
                link.drop();
                long droppedAt = System.nanoTime();
                assertThat(proxy.cut("/events")).as("the far end forgets the event stream").isEqualTo(1);
                docker("run", "--network", "none", "--name", c, TEST_IMAGE, "true");

                // keepalive: 10 s without traffic, then 3 probes 5 s apart, then a reconnect from the checkpoint
                java.util.concurrent.atomic.AtomicBoolean everDown = new java.util.concurrent.atomic.AtomicBoolean();
                try {
                    await("the container's events").atMost(Duration.ofSeconds(50)).pollInterval(Duration.ofMillis(500))
                            .until(() -> {
                                if (daemonCheck(collector, endpoint).path("status").asText().equals("DOWN")) {
                                    everDown.set(true);
                                }
                                return collector.records(event(c, "die")).size() == 1;
                            });
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("the event stream was not reconnected; collector log:\n" + collector.logText(), e);
                }
                double backS = (System.nanoTime() - droppedAt) / 1e9;
                System.out.printf("DeadLinkIT: a dead event stream alone reconnected after %.1f s%n", backS);

                assertThat(everDown).as("health DOWN while the daemon answered its pings").isFalse();
                assertThat(collector.logText()).as("found by keepalive, not by the probe").doesNotContain("no answer to /_ping")
                        .contains("Lost Docker events from " + endpoint);
            }
            for (String action : new String[] {"create", "start", "die"}) {
                assertThat(collector.records(event(c, action))).as("%s events of %s", action, c).hasSize(1);
            }
            assertThat(collector.stop()).isZero();
        }
    }
}
