package io.dockwatch.sink.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Json;
import io.dockwatch.record.Record;
import io.dockwatch.sink.http.HttpFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns serialised records into request bodies in the receiver's documented shape, cut so that a
 * body stays under the size limit (a single bigger record goes alone):
 *
 * <ul>
 * <li>{@code ndjson}: one record per line.</li>
 * <li>{@code json-array}: {@code [record,record]}.</li>
 * <li>{@code elasticsearch-bulk}: the {@code _bulk} API (Elasticsearch and OpenSearch): an action
 * line {@code {"index":{"_index":NAME}}} before each record, newline-terminated.</li>
 * <li>{@code splunk-hec}: the HEC event endpoint's concatenated event objects
 * {@code {"time":SECONDS.MILLIS,"host":..,"source":..,"sourcetype":..,"event":record}}.</li>
 * <li>{@code loki}: the push API's {@code {"streams":[{"stream":{labels},"values":[[NANOS,line]]}]}},
 * a stream per host, container and kind, the line being the whole record.</li>
 * <li>{@code sumo}: an HTTP source's newline-separated lines, one request per host and kind so the
 * {@code X-Sumo-Host} and {@code X-Sumo-Category} headers hold for every line.</li>
 * </ul>
 */
final class HttpBodyFormat {
    /** Loki's label names: valid Prometheus label names, short as LogQL users type them. */
    static final String LOKI_LABEL_HOST = "host";
    static final String LOKI_LABEL_CONTAINER = "container";
    static final String LOKI_LABEL_KIND = "kind";
    /** Where a template takes the record's kind, as in {@code dockwatch-{kind}}. */
    static final String KIND_PLACEHOLDER = "{kind}";

    /** Format options that only some formats use. */
    record Options(String index, String splunkSource, String splunkSourcetype, String splunkIndex,
            String sumoCategory, String sumoName) {
    }

    private static final byte NEWLINE = '\n';
    /** Bytes a Loki value adds around the line: quotes, escapes of the record's quotes are counted apart. */
    private static final int LOKI_VALUE_OVERHEAD = 32;

    private final HttpFormat format;
    private final Options options;
    private final long maxBytes;

    HttpBodyFormat(HttpFormat format, Options options, long maxBytes) {
        this.format = format;
        this.options = options;
        this.maxBytes = maxBytes;
    }

    HttpFormat format() {
        return format;
    }

    /** The requests that carry these records, in order (sumo: grouped by host and kind first). */
    List<HttpPayload> payloads(List<byte[]> records) {
        List<HttpPayload> out = new ArrayList<>();
        for (List<byte[]> group : groups(records)) {
            List<byte[]> chunk = new ArrayList<>();
            long size = 2;
            for (byte[] r : group) {
                long s = estimate(r);
                if (!chunk.isEmpty() && size + s > maxBytes) {
                    out.add(render(chunk));
                    chunk = new ArrayList<>();
                    size = 2;
                }
                chunk.add(r);
                size += s;
            }
            if (!chunk.isEmpty()) {
                out.add(render(chunk));
            }
        }
        return out;
    }

    private List<List<byte[]>> groups(List<byte[]> records) {
        if (format != HttpFormat.SUMO) {
            return List.of(records);
        }
        Map<List<String>, List<byte[]>> byHostAndKind = new LinkedHashMap<>();
        for (byte[] r : records) {
            ObjectNode n = parse(r);
            byHostAndKind.computeIfAbsent(List.of(text(n, Fields.HOST_NAME), text(n, Fields.KIND)),
                    k -> new ArrayList<>()).add(r);
        }
        return new ArrayList<>(byHostAndKind.values());
    }

    /** Bytes a record adds to a body, close enough to keep bodies under the limit. */
    private long estimate(byte[] record) {
        return switch (format) {
            case NDJSON, JSON_ARRAY, SUMO -> record.length + 1;
            case ELASTICSEARCH_BULK -> record.length + 2 + options.index().length() + 32;
            case SPLUNK_HEC -> record.length + 160;
            // the line is a JSON string holding the record: every quote gains a backslash
            case LOKI -> record.length + quotes(record) + LOKI_VALUE_OVERHEAD;
        };
    }

    private static int quotes(byte[] record) {
        int n = 0;
        for (byte b : record) {
            if (b == '"' || b == '\\') {
                n++;
            }
        }
        return n;
    }

    /** One request body for these records (a group of one host and kind for sumo). */
    HttpPayload render(List<byte[]> records) {
        try {
            return switch (format) {
                case NDJSON -> new HttpPayload(records, lines(records), HttpSinkHeaders.NDJSON, Map.of());
                case JSON_ARRAY -> new HttpPayload(records, array(records), HttpSinkHeaders.JSON, Map.of());
                case ELASTICSEARCH_BULK -> new HttpPayload(records, bulk(records), HttpSinkHeaders.NDJSON, Map.of());
                case SPLUNK_HEC -> new HttpPayload(records, splunk(records), HttpSinkHeaders.JSON, Map.of());
                case LOKI -> new HttpPayload(records, loki(records), HttpSinkHeaders.JSON, Map.of());
                case SUMO -> new HttpPayload(records, lines(records), HttpSinkHeaders.NDJSON, sumoHeaders(records.get(0)));
            };
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot render a request body", e);
        }
    }

    private static byte[] lines(List<byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size(records) + records.size());
        for (byte[] r : records) {
            out.writeBytes(r);
            out.write(NEWLINE);
        }
        return out.toByteArray();
    }

    private static byte[] array(List<byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size(records) + records.size() + 2);
        out.write('[');
        for (int i = 0; i < records.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(records.get(i));
        }
        out.write(']');
        return out.toByteArray();
    }

    private byte[] bulk(List<byte[]> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size(records) + records.size() * 48);
        for (byte[] r : records) {
            ObjectNode action = Json.NODES.objectNode();
            action.putObject("index").put("_index", template(options.index(), text(parse(r), Fields.KIND)));
            out.writeBytes(Json.MAPPER.writeValueAsBytes(action));
            out.write(NEWLINE);
            out.writeBytes(r);
            out.write(NEWLINE);
        }
        return out.toByteArray();
    }

    private byte[] splunk(List<byte[]> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size(records) + records.size() * 160);
        for (byte[] r : records) {
            ObjectNode n = parse(r);
            String kind = text(n, Fields.KIND);
            // the envelope is written by hand so the record goes in byte for byte, unparsed
            StringBuilder head = new StringBuilder("{\"time\":").append(epochSeconds(n));
            String host = text(n, Fields.HOST_NAME);
            if (!host.isEmpty()) {
                head.append(",\"host\":").append(quote(host));
            }
            head.append(",\"source\":").append(quote(options.splunkSource()));
            head.append(",\"sourcetype\":").append(quote(template(options.splunkSourcetype(), kind)));
            if (!options.splunkIndex().isEmpty()) {
                head.append(",\"index\":").append(quote(options.splunkIndex()));
            }
            head.append(",\"event\":");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(r);
            out.write('}');
            out.write(NEWLINE);
        }
        return out.toByteArray();
    }

    private byte[] loki(List<byte[]> records) throws IOException {
        record Entry(long nanos, String nanosText, String line) {
        }
        Map<Map<String, String>, List<Entry>> streams = new LinkedHashMap<>();
        for (byte[] r : records) {
            ObjectNode n = parse(r);
            Map<String, String> labels = new LinkedHashMap<>();
            putIfSet(labels, LOKI_LABEL_HOST, text(n, Fields.HOST_NAME));
            putIfSet(labels, LOKI_LABEL_CONTAINER, text(n, Fields.CONTAINER_NAME));
            putIfSet(labels, LOKI_LABEL_KIND, text(n, Fields.KIND));
            Instant t = timestamp(n);
            long nanos = t.getEpochSecond() * 1_000_000_000L + t.getNano();
            streams.computeIfAbsent(labels, k -> new ArrayList<>())
                    .add(new Entry(nanos, Long.toString(nanos), new String(r, StandardCharsets.UTF_8)));
        }
        ObjectNode body = Json.NODES.objectNode();
        ArrayNode out = body.putArray("streams");
        for (Map.Entry<Map<String, String>, List<Entry>> s : streams.entrySet()) {
            ObjectNode stream = out.addObject();
            ObjectNode labels = stream.putObject("stream");
            s.getKey().forEach(labels::put);
            ArrayNode values = stream.putArray("values");
            // Loki wants each stream's entries in time order; records of different sources interleave
            s.getValue().stream().sorted(Comparator.comparingLong(Entry::nanos))
                    .forEach(e -> values.addArray().add(e.nanosText()).add(e.line()));
        }
        return Json.MAPPER.writeValueAsBytes(body);
    }

    private Map<String, String> sumoHeaders(byte[] first) {
        ObjectNode n = parse(first);
        Map<String, String> h = new LinkedHashMap<>();
        h.put(HttpSinkHeaders.SUMO_CATEGORY, template(options.sumoCategory(), text(n, Fields.KIND)));
        h.put(HttpSinkHeaders.SUMO_NAME, options.sumoName());
        String host = text(n, Fields.HOST_NAME);
        if (!host.isEmpty()) {
            h.put(HttpSinkHeaders.SUMO_HOST, host);
        }
        return h;
    }

    private static void putIfSet(Map<String, String> m, String k, String v) {
        if (!v.isEmpty()) {
            m.put(k, v);
        }
    }

    static String template(String template, String kind) {
        return template.replace(KIND_PLACEHOLDER, kind);
    }

    /** Seconds since the epoch with milliseconds, as Splunk's {@code time} takes it. */
    static String epochSeconds(ObjectNode n) {
        Instant t = timestamp(n);
        return t.getEpochSecond() + "." + String.format("%03d", t.getNano() / 1_000_000);
    }

    private static Instant timestamp(ObjectNode n) {
        try {
            return Instant.parse(text(n, Fields.TIMESTAMP));
        } catch (DateTimeParseException e) {
            // every record has an RFC 3339 @timestamp; a foreign one without gets the time it is sent
            return Instant.now();
        }
    }

    static String text(ObjectNode n, String dotted) {
        return Record.wrap(n).text(dotted);
    }

    private static ObjectNode parse(byte[] record) {
        return Json.readObject(record);
    }

    private static String quote(String s) throws IOException {
        return Json.MAPPER.writeValueAsString(s);
    }

    private static int size(List<byte[]> records) {
        int n = 0;
        for (byte[] r : records) {
            n += r.length;
        }
        return n;
    }
}
