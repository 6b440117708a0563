package io.dockwatch.source.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Compares a workload's new configuration with the last one seen. The state kept per workload is
 * {@code {container_id, hash, comparable, shown}}: it travels as a checkpoint with the config
 * record, so it is durable exactly when the record is, and drift survives restarts.
 */
public final class DriftDetector {
    private DriftDetector() {
    }

    public static ObjectNode state(String containerId, ConfigSnapshot snap) {
        ObjectNode s = Json.NODES.objectNode();
        s.put("container_id", containerId);
        s.put("hash", snap.hash());
        s.set("comparable", snap.comparable());
        ObjectNode shown = snap.shown().deepCopy();
        shown.remove("hash");
        s.set("shown", shown);
        return s;
    }

    /** The changed fields ({@code field, before, after}); empty when the configuration is the same. */
    public static ArrayNode changes(JsonNode previousState, ConfigSnapshot current) {
        ArrayNode changes = Json.NODES.arrayNode();
        if (previousState == null || previousState.path("hash").asText().equals(current.hash())) {
            return changes;
        }
        JsonNode prevCmp = previousState.path("comparable");
        JsonNode prevShown = previousState.path("shown");
        ObjectNode curCmp = current.comparable();
        ObjectNode curShown = current.shown();
        Set<String> fields = new LinkedHashSet<>();
        curCmp.fieldNames().forEachRemaining(fields::add);
        prevCmp.fieldNames().forEachRemaining(fields::add);
        for (String f : fields) {
            if ("env".equals(f)) {
                envChanges(prevCmp.path("env"), prevShown.path("env"), curCmp.path("env"), curShown.path("env"), changes);
            } else if (!prevCmp.path(f).equals(curCmp.path(f))) {
                add(changes, f, prevShown.get(f), curShown.get(f));
            }
        }
        return changes;
    }

    private static void envChanges(JsonNode prevCmp, JsonNode prevShown, JsonNode curCmp, JsonNode curShown,
            ArrayNode changes) {
        Set<String> keys = new java.util.TreeSet<>();
        prevCmp.fieldNames().forEachRemaining(keys::add);
        curCmp.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            if (!prevCmp.path(k).equals(curCmp.path(k))) {
                add(changes, "env." + k, prevShown.get(k), curShown.get(k));
            }
        }
    }

    private static void add(ArrayNode changes, String field, JsonNode before, JsonNode after) {
        ObjectNode c = changes.addObject();
        c.put("field", field);
        c.set("before", before == null ? Json.NODES.nullNode() : before);
        c.set("after", after == null ? Json.NODES.nullNode() : after);
    }

}
