package io.dockwatch.sink.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.dockwatch.record.Json;
import io.dockwatch.sink.http.HttpFormat;
import io.dockwatch.sink.SinkTesting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each body format against the shape its receiver documents. */
class HttpBodyFormatTest {
    private static final HttpBodyFormat.Options OPTIONS = new HttpBodyFormat.Options("dockwatch-{kind}", "dockwatch",
            "dockwatch:{kind}", "main", "dockwatch/{kind}", "dockwatch");
    private final List<byte[]> records = SinkTesting.events("docker-host-1", "web", 5);

    private static HttpBodyFormat format(HttpFormat f) {
        return new HttpBodyFormat(f, OPTIONS, 1024 * 1024);
    }

    private List<JsonNode> parsed(List<byte[]> recs) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (byte[] r : recs) {
            out.add(Json.MAPPER.readTree(r));
        }
        return out;
    }

    @Test
    void ndjsonIsOneRecordPerNewlineTerminatedLine() throws IOException {
        List<HttpPayload> p = format(HttpFormat.NDJSON).payloads(records);
        assertThat(p).hasSize(1);
        String body = new String(p.get(0).body(), StandardCharsets.UTF_8);
        assertThat(body).endsWith("\n");
        List<JsonNode> lines = new ArrayList<>();
        for (String l : body.split("\n")) {
            lines.add(Json.MAPPER.readTree(l));
        }
        assertThat(lines).isEqualTo(parsed(records));
        assertThat(p.get(0).contentType()).isEqualTo("application/x-ndjson");
    }

    @Test
    void jsonArrayIsOneArrayOfTheRecords() throws IOException {
        HttpPayload p = format(HttpFormat.JSON_ARRAY).payloads(records).get(0);
        JsonNode array = Json.MAPPER.readTree(p.body());
        assertThat(array.isArray()).isTrue();
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        assertThat(items).isEqualTo(parsed(records));
        assertThat(p.contentType()).isEqualTo("application/json");
    }

    @Test
    void elasticsearchBulkHasAnIndexActionBeforeEachDocumentAndEndsWithNewline() throws IOException {
        HttpPayload p = format(HttpFormat.ELASTICSEARCH_BULK).payloads(records).get(0);
        String body = new String(p.body(), StandardCharsets.UTF_8);
        // _bulk: "The final line of data must end with a newline character"
        assertThat(body).endsWith("\n");
        String[] lines = body.split("\n");
        assertThat(lines).hasSize(records.size() * 2);
        for (int i = 0; i < records.size(); i++) {
            JsonNode action = Json.MAPPER.readTree(lines[2 * i]);
            assertThat(action.size()).isEqualTo(1);
            assertThat(action.path("index").path("_index").asText()).isEqualTo("dockwatch-event");
            assertThat(Json.MAPPER.readTree(lines[2 * i + 1])).isEqualTo(Json.MAPPER.readTree(records.get(i)));
        }
        assertThat(p.contentType()).isEqualTo("application/x-ndjson");
    }

    @Test
    void splunkHecWrapsEachRecordAsTheEventWithTimeHostSourceAndSourcetype() throws IOException {
        HttpPayload p = format(HttpFormat.SPLUNK_HEC).payloads(records).get(0);
        List<JsonNode> events = new ArrayList<>();
        // HEC's /services/collector/event takes event objects one after another, not an array
        try (MappingIterator<JsonNode> it = Json.MAPPER.readerFor(JsonNode.class).readValues(p.body())) {
            it.forEachRemaining(events::add);
        }
        assertThat(events).hasSize(records.size());
        for (int i = 0; i < records.size(); i++) {
            JsonNode e = events.get(i);
            JsonNode record = Json.MAPPER.readTree(records.get(i));
            assertThat(e.path("time").isNumber()).isTrue();
            // 2026-11-27T10:15:30.123456789Z + i ms, in seconds with milliseconds
            assertThat(e.path("time").decimalValue()).isEqualByComparingTo(
                    new java.math.BigDecimal("1795774530.123").add(new java.math.BigDecimal(i).movePointLeft(3)));
            assertThat(e.path("host").asText()).isEqualTo("docker-host-1");
            assertThat(e.path("source").asText()).isEqualTo("dockwatch");
            assertThat(e.path("sourcetype").asText()).isEqualTo("dockwatch:event");
            assertThat(e.path("index").asText()).isEqualTo("main");
            assertThat(e.path("event")).isEqualTo(record);
        }
    }

    @Test
    void lokiPushHasOneStreamPerHostContainerAndKindWithNanosecondStringTimestamps() throws IOException {
        List<byte[]> mixed = new ArrayList<>(SinkTesting.events("h1", "web", 3));
        mixed.addAll(SinkTesting.events("h1", "db", 2));
        HttpPayload p = format(HttpFormat.LOKI).payloads(mixed).get(0);
        JsonNode body = Json.MAPPER.readTree(p.body());
        JsonNode streams = body.path("streams");
        assertThat(streams.size()).isEqualTo(2);
        Pattern labelName = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
        int values = 0;
        for (JsonNode s : streams) {
            JsonNode labels = s.path("stream");
            labels.fieldNames().forEachRemaining(n -> assertThat(n).matches(labelName));
            assertThat(labels.path("host").asText()).isEqualTo("h1");
            assertThat(labels.path("kind").asText()).isEqualTo("event");
            String container = labels.path("container").asText();
            assertThat(container).isIn("web", "db");
            long previous = 0;
            for (JsonNode v : s.path("values")) {
                assertThat(v.size()).isEqualTo(2);
                // Loki takes the timestamp as a string of Unix epoch nanoseconds
                assertThat(v.get(0).isTextual()).isTrue();
                long ns = Long.parseLong(v.get(0).asText());
                assertThat(ns).isGreaterThanOrEqualTo(previous);
                previous = ns;
                JsonNode line = Json.MAPPER.readTree(v.get(1).asText());
                assertThat(line.path("container").path("name").asText()).isEqualTo(container);
                assertThat(ns).isEqualTo(java.time.Instant.parse(line.path("@timestamp").asText()).getEpochSecond()
                        * 1_000_000_000L + java.time.Instant.parse(line.path("@timestamp").asText()).getNano());
                values++;
            }
        }
        assertThat(values).isEqualTo(5);
        assertThat(p.contentType()).isEqualTo("application/json");
    }

    @Test
    void sumoSendsNdjsonWithCategoryNameAndHostHeadersPerHostAndKind() throws IOException {
        List<byte[]> mixed = new ArrayList<>(SinkTesting.events("h1", "web", 2));
        mixed.addAll(SinkTesting.events("h2", "web", 3));
        List<HttpPayload> p = format(HttpFormat.SUMO).payloads(mixed);
        assertThat(p).hasSize(2);
        assertThat(p.get(0).headers()).containsEntry("X-Sumo-Host", "h1").containsEntry("X-Sumo-Category", "dockwatch/event")
                .containsEntry("X-Sumo-Name", "dockwatch");
        assertThat(p.get(1).headers()).containsEntry("X-Sumo-Host", "h2");
        assertThat(new String(p.get(0).body(), StandardCharsets.UTF_8).split("\n")).hasSize(2);
        assertThat(new String(p.get(1).body(), StandardCharsets.UTF_8).split("\n")).hasSize(3);
    }

    @Test
    void bodiesAreCutAtTheSizeLimitKeepingEveryRecordOnceInOrder() throws IOException {
        List<byte[]> many = SinkTesting.events("h1", "web", 200);
        for (HttpFormat f : HttpFormat.values()) {
            HttpBodyFormat fmt = new HttpBodyFormat(f, OPTIONS, 4096);
            List<HttpPayload> payloads = fmt.payloads(many);
            assertThat(payloads.size()).as(f.spelling()).isGreaterThan(5);
            List<byte[]> carried = new ArrayList<>();
            for (HttpPayload p : payloads) {
                assertThat(p.body().length).as(f.spelling()).isLessThanOrEqualTo(4096);
                carried.addAll(p.records());
            }
            assertThat(carried).as(f.spelling()).containsExactlyElementsOf(many);
        }
    }
}
