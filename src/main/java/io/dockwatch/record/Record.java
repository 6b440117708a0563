package io.dockwatch.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * One uniform JSON record: {@code @timestamp} and {@code kind} first, then nested fields set by
 * dotted name. The body of every exchange between a source and the spool.
 */
public final class Record {
    private final ObjectNode node;

    private Record(ObjectNode node) {
        this.node = node;
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

    public ObjectNode node() {
        return node;
    }

    public String kind() {
        return node.path(Fields.KIND).asText();
    }

    /** Sets a field by dotted name, creating the parent objects. */
    public Record put(String dotted, String value) {
        if (value != null) {
            parent(dotted).put(leaf(dotted), value);
        }
        return this;
    }

    public Record put(String dotted, long value) {
        parent(dotted).put(leaf(dotted), value);
        return this;
    }

    public Record put(String dotted, boolean value) {
        parent(dotted).put(leaf(dotted), value);
        return this;
    }

    public Record put(String dotted, JsonNode value) {
        if (value != null) {
            parent(dotted).set(leaf(dotted), value);
        }
        return this;
    }

    /** Field by dotted name, or a missing node. */
    public JsonNode get(String dotted) {
        JsonNode n = node;
        for (String part : dotted.split("\\.")) {
            n = n.path(part);
        }
        return n;
    }

    public boolean has(String dotted) {
        return !get(dotted).isMissingNode() && !get(dotted).isNull();
    }

    public String containerId() {
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
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A record tree always serialises", e);
        }
    }

    @Override
    public String toString() {
        return node.toString();
    }
}
