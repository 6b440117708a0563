package io.dockwatch.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Json;
import io.dockwatch.record.Record;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** What a record needs to know about its container, taken from one inspect answer. */
public record ContainerMetadata(String id, String name, String image, Map<String, String> labels) {

    public static ContainerMetadata fromInspect(JsonNode inspect) {
        Map<String, String> labels = new TreeMap<>();
        inspect.path("Config").path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new ContainerMetadata(inspect.path("Id").asText(), stripSlash(inspect.path("Name").asText()),
                inspect.path("Config").path("Image").asText(), Collections.unmodifiableMap(labels));
    }

    /** From a container event's actor attributes, for containers already gone (destroy). */
    public static ContainerMetadata fromEventActor(JsonNode actor) {
        Map<String, String> labels = new TreeMap<>();
        JsonNode attrs = actor.path("Attributes");
        attrs.fields().forEachRemaining(e -> {
            String k = e.getKey();
            if (!k.equals("name") && !k.equals("image") && !k.equals("exitCode") && !k.equals("signal")
                    && !k.equals("execID") && !k.equals("health_status")) {
                labels.put(k, e.getValue().asText());
            }
        });
        return new ContainerMetadata(actor.path("ID").asText(), attrs.path("name").asText(null),
                attrs.path("image").asText(null), Collections.unmodifiableMap(labels));
    }

    static String stripSlash(String name) {
        return name.startsWith("/") ? name.substring(1) : name;
    }

    public String label(String key) {
        return labels.get(key);
    }

    /** Opted out by {@code dockwatch.enable=false}: no logs, no stats (events and config still). */
    public boolean optedOut() {
        return "false".equalsIgnoreCase(labels.getOrDefault(Fields.LABEL_ENABLE, "true"));
    }

    /**
     * The workload a container belongs to, for drift: compose project/service, else swarm service,
     * else the container name.
     */
    public String workload() {
        String project = label(Fields.LABEL_COMPOSE_PROJECT);
        String service = label(Fields.LABEL_COMPOSE_SERVICE);
        if (project != null && service != null) {
            return project + "/" + service;
        }
        String swarm = label(Fields.LABEL_SWARM_SERVICE_NAME);
        return swarm != null ? swarm : name;
    }

    /** Adds the contract's container fields the record does not already carry. */
    public void applyTo(Record r) {
        putIfAbsent(r, Fields.CONTAINER_ID, id);
        putIfAbsent(r, Fields.CONTAINER_NAME, name);
        putIfAbsent(r, Fields.CONTAINER_IMAGE_NAME, image);
        if (!r.has(Fields.CONTAINER_LABELS)) {
            r.put(Fields.CONTAINER_LABELS, Json.MAPPER.valueToTree(labels));
        }
        putIfAbsent(r, Fields.COMPOSE_PROJECT, label(Fields.LABEL_COMPOSE_PROJECT));
        putIfAbsent(r, Fields.COMPOSE_SERVICE, label(Fields.LABEL_COMPOSE_SERVICE));
        putIfAbsent(r, Fields.SWARM_SERVICE_NAME, label(Fields.LABEL_SWARM_SERVICE_NAME));
        putIfAbsent(r, Fields.SWARM_TASK_ID, label(Fields.LABEL_SWARM_TASK_ID));
        putIfAbsent(r, Fields.SWARM_NODE_ID, label(Fields.LABEL_SWARM_NODE_ID));
    }

    private static void putIfAbsent(Record r, String field, String value) {
        if (value != null && !value.isEmpty() && !r.has(field)) {
            r.put(field, value);
        }
    }
}
