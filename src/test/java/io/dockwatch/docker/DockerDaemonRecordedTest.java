package io.dockwatch.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Record;
import io.dockwatch.source.events.EventRecords;
import io.dockwatch.testing.RecordedDockerApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Version negotiation and event reading against recorded answers of Engine 20.10 (API 1.41, events
 * with the legacy status/id/from) and Engine 29 (API 1.52, refuses clients below 1.44, events
 * without the legacy fields).
 */
class DockerDaemonRecordedTest {

    @ParameterizedTest
    @CsvSource({"engine-20.10, 1.17, 1.41", "engine-29, 1.44, 1.52"})
    void negotiatesTheDaemonsVersionAndReadsItsIdentity(String engine, String minApi, String expected) throws Exception {
        try (RecordedDockerApi api = new RecordedDockerApi(engine, ApiVersion.parse(minApi));
             DockerDaemon daemon = new DockerDaemon(DockerEndpoint.of(api.uri(), Map.of()))) {
            DockerDaemon.Identity id = daemon.connect();

            assertThat(id.apiVersion()).hasToString(expected);
            assertThat(id.name()).isEqualTo("vm");
            assertThat(api.requests()).contains("/version", "/v" + expected + "/info");
        }
    }

    @ParameterizedTest
    @CsvSource({"engine-20.10, 1.17", "engine-29, 1.44"})
    void recordsEveryEventOnceAcrossStreamEndsAndReadsActionAndActorOnly(String engine, String minApi) throws Exception {
        try (RecordedDockerApi api = new RecordedDockerApi(engine, ApiVersion.parse(minApi));
             DockerDaemon daemon = new DockerDaemon(DockerEndpoint.of(api.uri(), Map.of()))) {
            DaemonEvents events = new DaemonEvents(daemon);
            List<Record> records = new CopyOnWriteArrayList<>();
            events.addListener((ev, pos) -> records.add(EventRecords.toRecord(ev, daemon)));
            events.resumeFrom(io.dockwatch.record.Json.NODES.objectNode().put("time_nano", 1L));
            events.start();
            try {
                // the recorded stream ends after 7 events, like a daemon going away; the source
                // reconnects with since=<last event> and must not record any of them twice
                await().atMost(Duration.ofSeconds(10)).until(() -> api.eventStreamsOpened() >= 3);
            } finally {
                events.stop();
            }

            assertThat(records).extracting(r -> r.get("event.type").asText() + ":" + r.get("event.action").asText())
                    .containsExactly("container:create", "network:connect", "container:start", "container:kill",
                            "container:die", "network:disconnect", "container:destroy");
            Record die = records.get(4);
            assertThat(die.get("event.exit_code").asLong()).isEqualTo(137);
            assertThat(die.get("container.name").asText()).isEqualTo("fx");
            assertThat(die.get("container.id").asText()).startsWith("d391778421fa");
            assertThat(die.get("event.attributes").path("com.docker.compose.service").asText()).isEqualTo("web");
            assertThat(die.get("@timestamp").asText()).isEqualTo(Record.rfc3339(Record.fromNanos(recordedTimeNano(api, 4))));
            assertThat(api.requests()).filteredOn(r -> r.contains("/events")).allMatch(r -> r.contains("since="));
        }
    }

    private static long recordedTimeNano(RecordedDockerApi api, int index) throws Exception {
        String line = new String(api.fixture("events-kill-rm.ndjson")).split("\n")[index];
        JsonNode n = io.dockwatch.record.Json.MAPPER.readTree(line);
        return n.get("timeNano").asLong();
    }
}
