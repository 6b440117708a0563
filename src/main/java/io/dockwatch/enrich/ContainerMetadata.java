package io.dockwatch.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Enrichment;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Json;
import io.dockwatch.record.Record;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a record needs to know about its container, taken from one inspect answer. Immutable; its
 * JSON form is built once, so the records of a busy container are enriched by reference.
 */
public final class ContainerMetadata implements Enrichment {
    private final String id;
    private final String name;
    private final String image;
    private final Map<String, String> labels;
    private final ObjectNode labelsNode;
    private final String containerJson;
    private final Map<String, String> extraJson;

    public ContainerMetadata(String id, String name, String image, Map<String, String> labels) {
        this.id = id;
        this.name = name;
        this.image = image;
        this.labels = labels;
        this.labelsNode = Json.NODES.objectNode();
        labels.forEach(labelsNode::put);
        Record probe = Record.wrap(Json.NODES.objectNode());
        applyToTree(probe);
        this.containerJson = probe.node().path("container").toString();
        Map<String, String> extra = new java.util.LinkedHashMap<>();
        probe.node().fields().forEachRemaining(e -> {
            if (!e.getKey().equals("container")) {
                extra.put(e.getKey(), e.getValue().toString());
            }
        });
        this.extraJson = Collections.unmodifiableMap(extra);
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String image() {
        return image;
    }

    public Map<String, String> labels() {
        return labels;
    }

    /** Fields every log record of this container on one host shares, as UTF-8 JSON (see {@link #logLineMiddleUtf8}). */
    private record Middle(String hostName, String endpoint, String daemonId, byte[] utf8) {
    }

    private volatile Middle middle;

    /**
     * The part of a log record between its timestamp and its message, as UTF-8 JSON with a leading
     * comma: kind, host ({@code daemon_id} left out when null), container, compose and swarm. The
     * same for every line of this container, so it is built and encoded once per host and written
     * raw: encoding some 300 characters again for every log line was once the largest cost of a line.
     */
    @Override
    public byte[] logLineMiddleUtf8(String hostName, String endpoint, String daemonId) {
        return middle(hostName, endpoint, daemonId).utf8();
    }

    private Middle middle(String hostName, String endpoint, String daemonId) {
        Middle m = middle;
        if (m == null || !java.util.Objects.equals(m.hostName(), hostName) || !java.util.Objects.equals(m.endpoint(), endpoint)
                || !java.util.Objects.equals(m.daemonId(), daemonId)) {
            StringBuilder sb = new StringBuilder(",\"kind\":\"log\",\"host\":");
            com.fasterxml.jackson.databind.node.ObjectNode host = Json.NODES.objectNode();
            host.put("name", hostName);
            host.put("endpoint", endpoint);
            if (daemonId != null) {
                host.put("daemon_id", daemonId);
            }
            sb.append(host).append(",\"container\":").append(containerJson);
            extraJson.forEach((k, v) -> sb.append(",\"").append(k).append("\":").append(v));
            m = new Middle(hostName, endpoint, daemonId, sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            middle = m;
        }
        return m;
    }

    /** The record's {@code container} object as JSON text. */
    public String containerJson() {
        return containerJson;
    }

    /** Top-level objects besides {@code container} ({@code compose}, {@code swarm}) as JSON text. */
    public Map<String, String> extraJson() {
        return extraJson;
    }

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
        r.enrich(this);
    }

    /** The tree form of {@link #applyTo}: used by {@link Record} when it builds its tree. */
    @Override
    public void applyToTree(Record r) {
        putIfAbsent(r, Fields.CONTAINER_ID, id);
        putIfAbsent(r, Fields.CONTAINER_NAME, name);
        putIfAbsent(r, Fields.CONTAINER_IMAGE_NAME, image);
        if (!r.has(Fields.CONTAINER_LABELS)) {
            r.put(Fields.CONTAINER_LABELS, labelsNode.deepCopy()); // a copy: route steps may change one record
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
