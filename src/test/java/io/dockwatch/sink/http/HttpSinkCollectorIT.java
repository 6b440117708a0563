package io.dockwatch.sink.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.sink.SinkTesting;
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
 * The whole collector, switched on for HTTP by its URL alone, while the receiver refuses (503) and
 * then vanishes (connection refused) as containers keep coming and going: once it is back, it holds
 * exactly the event records the NDJSON file sink holds, none twice.
 */
class HttpSinkCollectorIT {
    @TempDir
    Path tmp;
    private final List<String> containers = new ArrayList<>();
    private HttpReceiver receiver;
    private Collector collector;

    @AfterEach
    void tearDown() {
        if (collector != null) {
            collector.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        Docker.removeQuietly(containers.toArray(String[]::new));
    }

    /** Containers that start, exit and are removed: create, start, die, destroy events and more. */
    private void lifecycles(String phase, int n) {
        for (int i = 0; i < n; i++) {
            String name = Docker.uniqueName("http-" + phase);
            containers.add(name);
            // no network: lifecycle events need none, and the shared daemon's bridge is not this test's concern
            Docker.docker("run", "--network", "none", "--name", name, Docker.TEST_IMAGE, "true");
            Docker.docker("rm", name);
        }
    }

    private Set<String> names() {
        return new HashSet<>(containers);
    }

    private List<String> ours(List<JsonNode> records) {
        Set<String> names = names();
        return records.stream().filter(Collector.kind("event"))
                .filter(r -> names.contains(r.path("container").path("name").asText()))
                .map(JsonNode::toString).sorted().toList();
    }

    private List<JsonNode> received() {
        List<JsonNode> out = new ArrayList<>();
        for (HttpReceiver.Request r : receiver.accepted()) {
            for (String line : r.text().split("\n")) {
                try {
                    out.add(Json.MAPPER.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    private void awaitReceiverHoldsWhatTheFileHolds(int containerCount) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            List<String> file = ours(collector.records());
            long destroyed = collector.records().stream().filter(Collector.kind("event"))
                    .filter(r -> "destroy".equals(r.path("event").path("action").asText())
                            && names().contains(r.path("container").path("name").asText())).count();
            return destroyed == containerCount && ours(received()).size() >= file.size();
        });
    }

    @Test
    void everyEventArrivesOnceThroughRefusalsAndAnOutage() throws Exception {
        int port = SinkTesting.freePort();
        receiver = new HttpReceiver(port);
        collector = new Collector(tmp).with("dockwatch.sink.http.url", receiver.url("/ingest"))
                .with("dockwatch.sink.http.retry.initial", "100ms").with("dockwatch.sink.http.retry.max", "1s")
                .start();
        assertThat(collector.logText()).contains("sink-http");

        lifecycles("up", 3);
        awaitReceiverHoldsWhatTheFileHolds(3);

        receiver.answer(r -> HttpReceiver.Answer.of(503, "maintenance"));
        lifecycles("refusing", 3);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.requests().stream().anyMatch(r -> r.status() == 503));

        receiver.stop();
        lifecycles("down", 3);
        Thread.sleep(2000);

        receiver.answer(r -> HttpReceiver.Answer.ok());
        receiver.start();
        lifecycles("back", 3);
        awaitReceiverHoldsWhatTheFileHolds(12);
        Thread.sleep(1000); // anything sent twice would arrive now

        List<String> file = ours(collector.records());
        List<String> got = ours(received());
        System.out.printf("%s: %d event records of %d containers in the file sink, %d at the %s%n",
                getClass().getSimpleName(), file.size(), containers.size(), got.size(), "HTTP receiver");
        // at least create, start, die and destroy of each container
        assertThat(file.size()).isGreaterThanOrEqualTo(12 * 4);
        assertThat(new HashSet<>(file)).as("the file sink holds each record once").hasSize(file.size());
        assertThat(got).as("the receiver holds exactly what the file holds").isEqualTo(file);
        assertThat(collector.logText()).contains("answered 503").contains("accepts records again");
        // stops within the harness's bound; the exit status on SIGTERM (143 at this commit) is the foundation's
        collector.stop();
    }
}
