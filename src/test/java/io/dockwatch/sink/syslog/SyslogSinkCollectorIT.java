package io.dockwatch.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
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
 * TCP that goes away while containers keep coming and going: once it is back, rsyslog holds
 * exactly the event records the NDJSON file sink holds, none twice.
 */
class SyslogSinkCollectorIT {
    @TempDir
    Path tmp;
    private final List<String> containers = new ArrayList<>();
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
        Docker.removeQuietly(containers.toArray(String[]::new));
    }

    private void lifecycles(String phase, int n) {
        for (int i = 0; i < n; i++) {
            String name = Docker.uniqueName("syslog-" + phase);
            containers.add(name);
            // no network: lifecycle events need none, and the shared daemon's bridge is not this test's concern
            Docker.docker("run", "--network", "none", "--name", name, Docker.TEST_IMAGE, "true");
            Docker.docker("rm", name);
        }
    }

    private List<String> ours(List<JsonNode> records) {
        Set<String> names = new HashSet<>(containers);
        return records.stream().filter(Collector.kind("event"))
                .filter(r -> names.contains(r.path("container").path("name").asText()))
                .map(JsonNode::toString).sorted().toList();
    }

    /** The event records rsyslog wrote, read back from each message's JSON, after checking its header. */
    private List<JsonNode> received() {
        List<JsonNode> out = new ArrayList<>();
        try {
            for (Rsyslog.Line l : rsyslog.lines()) {
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

    private void awaitRsyslogHoldsWhatTheFileHolds(int containerCount) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            List<JsonNode> file = collector.records();
            long destroyed = file.stream().filter(r -> "destroy".equals(r.path("event").path("action").asText())
                    && containers.contains(r.path("container").path("name").asText())).count();
            return destroyed == containerCount && ours(received()).size() >= ours(file).size();
        });
    }

    @Test
    void everyEventArrivesOnceThroughAReceiverOutage() throws Exception {
        rsyslog = new Rsyslog(tmp.resolve("rsyslog"));
        collector = new Collector(tmp.resolve("collector"))
                .with("dockwatch.sink.syslog.url", "tcp://127.0.0.1:" + rsyslog.tcpPort).start();
        assertThat(collector.logText()).contains("sink-syslog");

        lifecycles("up", 3);
        awaitRsyslogHoldsWhatTheFileHolds(3);

        rsyslog.stop();
        lifecycles("down", 3);
        Thread.sleep(2000);
        rsyslog.start();
        lifecycles("back", 3);
        awaitRsyslogHoldsWhatTheFileHolds(9);
        Thread.sleep(1000); // anything sent twice would arrive now

        List<String> file = ours(collector.records());
        List<String> got = ours(received());
        System.out.printf("%s: %d event records of %d containers in the file sink, %d at the %s%n",
                getClass().getSimpleName(), file.size(), containers.size(), got.size(), "rsyslog");
        assertThat(file.size()).isGreaterThanOrEqualTo(9 * 4);
        assertThat(new HashSet<>(file)).as("the file sink holds each record once").hasSize(file.size());
        assertThat(got).as("rsyslog holds exactly what the file holds").isEqualTo(file);
        assertThat(collector.logText()).contains("cannot send to tcp://").contains("takes messages again");
        collector.stop();
    }
}
