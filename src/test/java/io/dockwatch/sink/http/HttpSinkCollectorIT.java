package io.dockwatch.sink.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.sink.SinkTesting;
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
 * The whole collector, switched on for HTTP by its URL alone, while the receiver refuses (503) and
 * then vanishes (connection refused) as containers keep starting, logging and exiting: once it is
 * back, it holds exactly the event and log records the NDJSON file sink holds, none twice.
 */
class HttpSinkCollectorIT {
    private static final int LINES = 50;

    @TempDir
    Path tmp;
    private final TestContainers containers = new TestContainers();
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
        containers.removeAll();
    }

    /** Containers that start, print LINES numbered lines and exit. */
    private void containers(String phase, int n) {
        for (int i = 0; i < n; i++) {
            containers.runSeq("http-" + phase, LINES);
        }
    }

    /** This test's event and log records, as canonical JSON text, sorted. */
    private List<String> ours(List<JsonNode> records) {
        Set<String> names = new HashSet<>(containers.names());
        return records.stream().filter(Collector.kind("event").or(Collector.kind("log")))
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

    /** Waits until every container's exit and lines are in the file, and the receiver has as many records. */
    private void awaitReceiverHoldsWhatTheFileHolds() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            List<JsonNode> file = collector.records();
            Set<String> names = new HashSet<>(containers.names());
            long died = file.stream().filter(Collector.kind("event"))
                    .filter(r -> "die".equals(r.path("event").path("action").asText())
                            && names.contains(r.path("container").path("name").asText())).count();
            long lines = file.stream().filter(Collector.kind("log"))
                    .filter(r -> names.contains(r.path("container").path("name").asText())).count();
            return died == containers.size() && lines >= (long) LINES * containers.size()
                    && ours(received()).size() >= ours(file).size();
        });
    }

    @Test
    void everyEventAndLogLineArrivesOnceThroughRefusalsAndAnOutage() throws Exception {
        int port = SinkTesting.freePort();
        receiver = new HttpReceiver(port);
        collector = new Collector(tmp).with("dockwatch.sink.http.url", receiver.url("/ingest"))
                .with("dockwatch.sink.http.retry.initial", "100ms").with("dockwatch.sink.http.retry.max", "1s")
                .start();
        assertThat(collector.logText()).contains("sink-http");

        containers("up", 3);
        awaitReceiverHoldsWhatTheFileHolds();

        receiver.answer(r -> HttpReceiver.Answer.of(503, "maintenance"));
        containers("refusing", 3);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.requests().stream().anyMatch(r -> r.status() == 503));

        receiver.stop();
        containers("down", 3);
        Thread.sleep(2000);

        receiver.answer(r -> HttpReceiver.Answer.ok());
        receiver.start();
        containers("back", 3);
        awaitReceiverHoldsWhatTheFileHolds();
        Thread.sleep(1000); // anything sent twice would arrive now

        List<String> file = ours(collector.records());
        List<String> got = ours(received());
        System.out.printf("%s: %d event and log records of %d containers in the file sink, %d at the HTTP receiver%n",
                getClass().getSimpleName(), file.size(), containers.size(), got.size());
        // every line, plus at least the create, start and die events of each container
        assertThat(file.size()).isGreaterThanOrEqualTo(12 * (LINES + 3));
        assertThat(new HashSet<>(file)).as("the file sink holds each record once").hasSize(file.size());
        assertThat(got).as("the receiver holds exactly what the file holds").isEqualTo(file);
        assertThat(collector.logText()).contains("Sink http failing: ").contains("answered 503")
                .contains("Sink http recovered after");
        // stops within the harness's bound; the exit status on SIGTERM is the foundation's
        collector.stop();
    }

    /**
     * The sink configured the Camel way only: camel.component.http-sink.* lines in the user's
     * application.properties, no dockwatch.sink.http.* key. The URL alone switches the shipped route
     * on, and a second option (the json-array format) is bound too: the receiver gets JSON arrays
     * holding every event and log line of the containers, as the file sink does.
     */
    @Test
    void camelComponentOptionsAloneConfigureADelivery() throws Exception {
        int port = SinkTesting.freePort();
        receiver = new HttpReceiver(port);
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("cwd"));
        java.nio.file.Files.writeString(dir.resolve("application.properties"), String.join("\n",
                "camel.component.http-sink.url=" + receiver.url("/camel-way"),
                "camel.component.http-sink.format=json-array",
                "camel.component.http-sink.retryMax=1s", ""));
        collector = new Collector(tmp).inDirectory(dir).start();

        containers("camel-way", 2);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            Set<String> names = new HashSet<>(containers.names());
            long lines = collector.records().stream().filter(Collector.kind("log"))
                    .filter(r -> names.contains(r.path("container").path("name").asText())).count();
            return lines >= 2L * LINES && ours(receivedArrays()).size() >= ours(collector.records()).size();
        });
        List<String> file = ours(collector.records());
        List<String> got = ours(receivedArrays());
        System.out.printf("%s: camel.component.http-sink.*: %d records in the file sink, %d at the receiver in %d requests%n",
                getClass().getSimpleName(), file.size(), got.size(), receiver.accepted().size());
        assertThat(file.size()).isGreaterThanOrEqualTo(2 * (LINES + 3));
        assertThat(got).as("the receiver holds exactly what the file holds").isEqualTo(file);
        assertThat(receiver.accepted()).allSatisfy(r -> assertThat(r.text()).startsWith("["));
    }

    /** The records of requests whose bodies are JSON arrays. */
    private List<JsonNode> receivedArrays() {
        List<JsonNode> out = new ArrayList<>();
        for (HttpReceiver.Request r : receiver.accepted()) {
            try {
                Json.MAPPER.readTree(r.text()).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    @Test
    void sigtermDuringAnOutageExitsInTimeAndTheRecordsComeAfterTheNextStart() throws Exception {
        stopDuringAnOutage(false);
    }

    @Test
    void sigkillDuringAnOutageLosesNothingAndTheRecordsComeOnceAfterTheNextStart() throws Exception {
        stopDuringAnOutage(true);
    }

    private void stopDuringAnOutage(boolean kill) throws Exception {
        receiver = new HttpReceiver(SinkTesting.freePort());
        receiver.answer(r -> HttpReceiver.Answer.of(503, "maintenance"));
        collector = new Collector(tmp).with("dockwatch.sink.http.url", receiver.url("/ingest"))
                .with("dockwatch.sink.http.retry.initial", "100ms").with("dockwatch.sink.http.retry.max", "1s")
                .start();
        containers("outage", 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> collector.records().stream()
                .filter(Collector.kind("log")).filter(r -> containers.names().contains(r.path("container").path("name").asText()))
                .count() >= 3L * LINES && receiver.requests().stream().anyMatch(r -> r.status() == 503));
        if (kill) {
            collector.kill();
        } else {
            long t0 = System.nanoTime();
            collector.stop();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            System.out.printf("%s: SIGTERM during an HTTP outage, exited after %d ms%n", getClass().getSimpleName(),
                    took.toMillis());
            assertThat(took).as("CONTRACT.md: exit within 10 s of SIGTERM").isLessThan(Duration.ofSeconds(10));
        }
        assertThat(receiver.accepted()).isEmpty();

        receiver.answer(r -> HttpReceiver.Answer.ok());
        collector.start();
        containers("after", 1);
        awaitReceiverHoldsWhatTheFileHolds();
        Thread.sleep(1000); // anything sent twice would arrive now
        List<String> file = ours(collector.records());
        List<String> got = ours(received());
        assertThat(file.size()).isGreaterThanOrEqualTo(4 * (LINES + 3));
        assertThat(new HashSet<>(file)).as("the file sink holds each record once").hasSize(file.size());
        assertThat(got).as("the receiver holds exactly what the file holds").isEqualTo(file);
        collector.stop();
    }
}
