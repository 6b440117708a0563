package io.dockwatch.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.TestContainers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole collector, switched on for syslog by its URL alone, sending to a real rsyslogd over
 * TCP that goes away while containers keep starting, logging and exiting: once it is back,
 * rsyslog holds exactly the event records and log lines the NDJSON file sink holds, none twice.
 */
class SyslogSinkCollectorIT {
    private static final int LINES = 50;

    @TempDir
    Path tmp;
    private final TestContainers containers = new TestContainers();
    private Rsyslog rsyslog;
    private Collector collector;

    @AfterEach
    void tearDown() throws Exception {
        if (collector != null) {
            collector.close();
        }
        if (rsyslog != null) {
            rsyslog.close();
        }
        containers.removeAll();
    }

    /** Containers that start, print LINES numbered lines and exit. */
    private void containers(String phase, int n) {
        for (int i = 0; i < n; i++) {
            containers.runSeq("syslog-" + phase, LINES);
        }
    }

    /**
     * This test's records as a syslog receiver can tell them apart, sorted: events as their JSON
     * (the message), log lines as container and line (APP-NAME and message).
     */
    private List<String> ours(List<JsonNode> records) {
        Set<String> names = new HashSet<>(containers.names());
        List<String> out = new ArrayList<>();
        for (JsonNode r : records) {
            String name = r.path("container").path("name").asText();
            if (!names.contains(name)) {
                continue;
            }
            if ("event".equals(r.path("kind").asText())) {
                out.add(r.toString());
            } else if ("log".equals(r.path("kind").asText())) {
                out.add("log " + name + " " + r.path("message").asText());
            }
        }
        return out.stream().sorted().toList();
    }

    /** What rsyslog wrote, read back into records, after checking each message's header. */
    private List<JsonNode> received() {
        List<JsonNode> out = new ArrayList<>();
        try {
            for (Rsyslog.Line l : rsyslog.lines()) {
                if ("log".equals(l.msgId())) {
                    JsonNode r = Json.MAPPER.createObjectNode().put("kind", "log").put("message", l.msg());
                    ((com.fasterxml.jackson.databind.node.ObjectNode) r).putObject("container").put("name", l.appName());
                    assertThat(l.structuredData()).startsWith("[dockwatch@32473 container_id=");
                    out.add(r);
                    continue;
                }
                if (!"event".equals(l.msgId())) {
                    continue;
                }
                JsonNode r = Json.MAPPER.readTree(l.msg());
                assertThat(l.hostname()).isEqualTo(r.path("host").path("name").asText());
                if (r.path("container").has("name")) {
                    assertThat(l.appName()).isEqualTo(r.path("container").path("name").asText());
                    assertThat(l.structuredData())
                            .contains("container_id=\"" + r.path("container").path("id").asText() + "\"");
                } else {
                    // network, image and daemon events: no container
                    assertThat(l.appName()).isEqualTo("dockwatch");
                }
                out.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Waits until every container's exit and lines are in the file, and rsyslog has as many records. */
    private void awaitRsyslogHoldsWhatTheFileHolds() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            List<JsonNode> file = collector.records();
            Set<String> names = new HashSet<>(containers.names());
            long died = file.stream().filter(r -> "die".equals(r.path("event").path("action").asText())
                    && names.contains(r.path("container").path("name").asText())).count();
            long lines = file.stream().filter(Collector.kind("log"))
                    .filter(r -> names.contains(r.path("container").path("name").asText())).count();
            return died == containers.size() && lines >= (long) LINES * containers.size()
                    && ours(received()).size() >= ours(file).size();
        });
    }

    @Test
    void everyEventAndLogLineArrivesOnceThroughAReceiverOutage() throws Exception {
        rsyslog = new Rsyslog(tmp.resolve("rsyslog"));
        collector = new Collector(tmp.resolve("collector"))
                .with("dockwatch.sink.syslog.url", "tcp://127.0.0.1:" + rsyslog.tcpPort).start();
        assertThat(collector.logText()).contains("sink-syslog");

        containers("up", 3);
        awaitRsyslogHoldsWhatTheFileHolds();

        rsyslog.stop();
        containers("down", 3);
        Thread.sleep(2000);
        rsyslog.start();
        containers("back", 3);
        awaitRsyslogHoldsWhatTheFileHolds();
        Thread.sleep(1000); // anything sent twice would arrive now

        List<String> file = ours(collector.records());
        List<String> got = ours(received());
        System.out.printf("%s: %d event and log records of %d containers in the file sink, %d at the %s%n",
                getClass().getSimpleName(), file.size(), containers.size(), got.size(), "rsyslog");
        // every line, plus at least the create, start and die events of each container
        assertThat(file.size()).isGreaterThanOrEqualTo(9 * (LINES + 3));
        assertThat(new HashSet<>(file)).as("the file sink holds each record once").hasSize(file.size());
        assertThat(got).as("rsyslog holds exactly what the file holds").isEqualTo(file);
        assertThat(collector.logText()).contains("Sink syslog failing: ").contains("cannot send to tcp://")
                .contains("Sink syslog recovered after");
        collector.stop();
    }
}
