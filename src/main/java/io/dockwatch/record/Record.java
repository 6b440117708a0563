package io.dockwatch.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * One uniform JSON record: {@code @timestamp} and {@code kind} first, then nested fields set by
 * dotted name. The body of every exchange between a source and the spool.
 *
 * <p>Log lines are the bulk of all records, so a log record starts in a compact form (its few
 * fields, the message as the UTF-8 bytes Docker sent, and its container's metadata by reference)
 * and is written straight to NDJSON bytes; its tree is built only if a route step asks for it.
 * Both forms write the same JSON.
 */
public final class Record {
    private ObjectNode node;
    private LogLine line;
    private Enrichment enrichedWith;

    private record LogLine(String timestamp, String hostName, String endpoint, String daemonId, String containerId,
            byte[] message, String stream) {
    }

    private Record(ObjectNode node) {
        this.node = node;
    }

    private Record(LogLine line) {
        this.line = line;
    }

    /** A container log line, in the compact form. */
    public static Record logLine(String rfc3339, String hostName, String endpoint, String containerId, String message,
            String stream) {
        return logLine(rfc3339, hostName, endpoint, null, containerId, message, stream);
    }

    /** A container log line with the daemon's ID ({@code host.daemon_id}; null leaves it out). */
    public static Record logLine(String rfc3339, String hostName, String endpoint, String daemonId, String containerId,
            String message, String stream) {
        return logLineUtf8(rfc3339, hostName, endpoint, daemonId, containerId, message.getBytes(StandardCharsets.UTF_8),
                stream);
    }

    /** A container log line whose message is valid UTF-8 (see {@link Utf8#validCopy}); the array is not copied. */
    public static Record logLineUtf8(String rfc3339, String hostName, String endpoint, String daemonId,
            String containerId, byte[] message, String stream) {
        return new Record(new LogLine(rfc3339, hostName, endpoint, daemonId, containerId, message, stream));
    }

    public static Record of(Kind kind, Instant when) {
        ObjectNode n = Json.NODES.objectNode();
        n.put(Fields.TIMESTAMP, rfc3339(when));
        n.put(Fields.KIND, kind.value());
        return new Record(n);
    }

    /** With a timestamp already in RFC 3339 UTC form, as Docker's log timestamps are. */
    public static Record of(Kind kind, String rfc3339) {
        ObjectNode n = Json.NODES.objectNode();
        n.put(Fields.TIMESTAMP, rfc3339);
        n.put(Fields.KIND, kind.value());
        return new Record(n);
    }

    /** A record read back (from the spool, or a test's output file). */
    public static Record wrap(ObjectNode node) {
        return new Record(node);
    }

    public static String rfc3339(Instant when) {
        return DateTimeFormatter.ISO_INSTANT.format(when);
    }

    public static Instant fromNanos(long epochNanos) {
        return Instant.ofEpochSecond(epochNanos / 1_000_000_000L, epochNanos % 1_000_000_000L);
    }

    /** The record as a JSON tree (built now if the record was compact). */
    public ObjectNode node() {
        if (node == null) {
            LogLine l = line;
            ObjectNode n = Json.NODES.objectNode();
            n.put(Fields.TIMESTAMP, l.timestamp());
            n.put(Fields.KIND, Kind.LOG.value());
            node = n;
            line = null;
            put(Fields.HOST_NAME, l.hostName());
            put(Fields.HOST_ENDPOINT, l.endpoint());
            put(Fields.HOST_DAEMON_ID, l.daemonId());
            put(Fields.CONTAINER_ID, l.containerId());
            if (enrichedWith != null) {
                enrichedWith.applyToTree(this);
            }
            put(Fields.MESSAGE, Utf8.text(l.message()));
            put(Fields.LOG_STREAM, l.stream());
        }
        return node;
    }

    public String kind() {
        return line != null ? Kind.LOG.value() : node.path(Fields.KIND).asText();
    }

    /** Adds container metadata: by reference while compact, into the tree otherwise. */
    public void enrich(Enrichment metadata) {
        if (line != null) {
            enrichedWith = metadata;
        } else {
            metadata.applyToTree(this);
        }
    }

    /** Size of the message (bytes while compact, characters otherwise), without building the tree: batch sizing. */
    public int messageLength() {
        if (line != null) {
            return line.message().length;
        }
        JsonNode m = node.get(Fields.MESSAGE);
        return m == null ? 0 : m.asText().length();
    }

    private static final byte[] TIMESTAMP_START = ascii("{\"@timestamp\":");
    private static final byte[] MESSAGE_FIELD = ascii(",\"message\":");
    private static final byte[] STDOUT_END = ascii(",\"log\":{\"stream\":\"stdout\"}}");
    private static final byte[] STDERR_END = ascii(",\"log\":{\"stream\":\"stderr\"}}");
    private static final byte[] TTY_END = ascii(",\"log\":{\"stream\":\"tty\"}}");

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends the record as one NDJSON line; the compact form skips building a tree. */
    public void writeNdjson(NdjsonBuffer out) {
        writeJson(out);
        out.raw('\n');
    }

    private void writeJson(NdjsonBuffer out) {
        LogLine l = line;
        if (l == null) {
            try {
                out.raw(Json.MAPPER.writeValueAsBytes(node));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("A record always serialises", e);
            }
            return;
        }
        out.raw(TIMESTAMP_START).string(l.timestamp());
        Enrichment m = enrichedWith;
        if (m != null) {
            // kind, host, container, compose, swarm: identical for every line of the container
            out.raw(m.logLineMiddleUtf8(l.hostName(), l.endpoint(), l.daemonId()));
        } else {
            out.raw(ascii(",\"kind\":\"log\",\"host\":{\"name\":")).string(l.hostName());
            out.raw(ascii(",\"endpoint\":")).string(l.endpoint());
            if (l.daemonId() != null) {
                out.raw(ascii(",\"daemon_id\":")).string(l.daemonId());
            }
            out.raw(ascii("},\"container\":{\"id\":")).string(l.containerId()).raw('}');
        }
        out.raw(MESSAGE_FIELD).string(l.message());
        switch (l.stream()) {
            case "stdout" -> out.raw(STDOUT_END);
            case "stderr" -> out.raw(STDERR_END);
            case "tty" -> out.raw(TTY_END);
            default -> out.raw(ascii(",\"log\":{\"stream\":")).string(l.stream()).raw(ascii("}}"));
        }
    }

    /** Sets a field by dotted name, creating the parent objects. */
    public Record put(String dotted, String value) {
        node();
        if (value != null) {
            parent(dotted).put(leaf(dotted), value);
        }
        return this;
    }

    public Record put(String dotted, long value) {
        node();
        parent(dotted).put(leaf(dotted), value);
        return this;
    }

    public Record put(String dotted, boolean value) {
        node();
        parent(dotted).put(leaf(dotted), value);
        return this;
    }

    public Record put(String dotted, JsonNode value) {
        node();
        if (value != null) {
            parent(dotted).set(leaf(dotted), value);
        }
        return this;
    }

    /** Field by dotted name, or a missing node. */
    public JsonNode get(String dotted) {
        JsonNode n = node();
        int start = 0;
        int dot;
        while ((dot = dotted.indexOf('.', start)) >= 0) {
            n = n.path(dotted.substring(start, dot));
            start = dot + 1;
        }
        return n.path(dotted.substring(start));
    }

    /** A field's text by dotted name, or "" when it is missing or not a single value. */
    public String text(String dotted) {
        JsonNode v = get(dotted);
        return v.isValueNode() ? v.asText() : "";
    }

    public boolean has(String dotted) {
        JsonNode n = get(dotted);
        return !n.isMissingNode() && !n.isNull();
    }

    public String containerId() {
        if (line != null) {
            return line.containerId();
        }
        JsonNode id = get(Fields.CONTAINER_ID);
        return id.isTextual() ? id.asText() : null;
    }

    private ObjectNode parent(String dotted) {
        ObjectNode n = node;
        int start = 0;
        int dot;
        // "@timestamp" and the like have no dots; nested names are split on each dot
        while ((dot = dotted.indexOf('.', start)) >= 0) {
            String part = dotted.substring(start, dot);
            JsonNode child = n.get(part);
            if (!(child instanceof ObjectNode)) {
                child = n.putObject(part);
            }
            n = (ObjectNode) child;
            start = dot + 1;
        }
        return n;
    }

    private static String leaf(String dotted) {
        return dotted.substring(dotted.lastIndexOf('.') + 1);
    }

    public byte[] toJsonBytes() {
        NdjsonBuffer out = new NdjsonBuffer(line != null ? 256 + line.message().length : 512);
        writeJson(out);
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return new String(toJsonBytes(), StandardCharsets.UTF_8);
    }
}
