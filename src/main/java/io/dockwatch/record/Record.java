package io.dockwatch.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.dockwatch.enrich.ContainerMetadata;
import java.io.IOException;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * One uniform JSON record: {@code @timestamp} and {@code kind} first, then nested fields set by
 * dotted name. The body of every exchange between a source and the spool.
 *
 * <p>Log lines are the bulk of all records, so a log record starts in a compact form (its few
 * fields, and its container's metadata by reference) and is written straight to JSON; its tree
 * is built only if a route step asks for it. Both forms write the same JSON.
 */
public final class Record {
    private ObjectNode node;
    private LogLine line;
    private ContainerMetadata enrichedWith;

    private record LogLine(String timestamp, String hostName, String endpoint, String daemonId, String containerId,
            String message, String stream) {
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
            put(Fields.MESSAGE, l.message());
            put(Fields.LOG_STREAM, l.stream());
        }
        return node;
    }

    public String kind() {
        return line != null ? Kind.LOG.value() : node.path(Fields.KIND).asText();
    }

    /** Adds container metadata: by reference while compact, into the tree otherwise. */
    public void enrich(ContainerMetadata metadata) {
        if (line != null) {
            enrichedWith = metadata;
        } else {
            metadata.applyToTree(this);
        }
    }

    /** Length of the message, without building the tree (batch sizing). */
    public int messageLength() {
        if (line != null) {
            return line.message().length();
        }
        JsonNode m = node.get(Fields.MESSAGE);
        return m == null ? 0 : m.asText().length();
    }

    private static final SerializedString STDOUT = new SerializedString(",\"log\":{\"stream\":\"stdout\"}");
    private static final SerializedString STDERR = new SerializedString(",\"log\":{\"stream\":\"stderr\"}");
    private static final SerializedString TTY = new SerializedString(",\"log\":{\"stream\":\"tty\"}");

    private static SerializedString streamSuffix(String stream) {
        return switch (stream) {
            case "stdout" -> STDOUT;
            case "stderr" -> STDERR;
            case "tty" -> TTY;
            default -> new SerializedString(",\"log\":{\"stream\":" + Json.NODES.textNode(stream) + "}");
        };
    }

    /** Writes the record as one JSON object; the compact form skips building a tree. */
    public void writeTo(JsonGenerator g) throws IOException {
        LogLine l = line;
        if (l == null) {
            Json.MAPPER.writeTree(g, node);
            return;
        }
        g.writeStartObject();
        g.writeStringField(Fields.TIMESTAMP, l.timestamp());
        ContainerMetadata m = enrichedWith;
        if (m != null) {
            // kind, host, container, compose, swarm: identical for every line of the container
            g.writeRaw(m.logLineMiddleEncoded(l.hostName(), l.endpoint(), l.daemonId()));
        } else {
            g.writeStringField(Fields.KIND, Kind.LOG.value());
            g.writeObjectFieldStart("host");
            g.writeStringField("name", l.hostName());
            g.writeStringField("endpoint", l.endpoint());
            if (l.daemonId() != null) {
                g.writeStringField("daemon_id", l.daemonId());
            }
            g.writeEndObject();
            g.writeObjectFieldStart(Fields.CONTAINER);
            g.writeStringField("id", l.containerId());
            g.writeEndObject();
        }
        g.writeStringField(Fields.MESSAGE, l.message());
        g.writeRaw(streamSuffix(l.stream()));
        g.writeEndObject();
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
        try {
            if (line == null) {
                return Json.MAPPER.writeValueAsBytes(node);
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256 + line.message().length());
            try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
                writeTo(g);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("A record always serialises", e);
        }
    }

    @Override
    public String toString() {
        return new String(toJsonBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
