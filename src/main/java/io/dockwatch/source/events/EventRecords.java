package io.dockwatch.source.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;

/**
 * A Docker event as an {@code event} record. Reads only {@code Type}, {@code Action},
 * {@code Actor}, {@code scope} and {@code timeNano}, which every API version from 1.22 to 1.52
 * sends (the legacy {@code status}/{@code id}/{@code from} are gone from 1.52).
 */
public final class EventRecords {
    private EventRecords() {
    }

    public static Record toRecord(JsonNode ev, DockerDaemon daemon) {
        Record r = Record.of(Kind.EVENT, Record.fromNanos(DaemonEvents.timeNano(ev)));
        daemon.stampHost(r);
        String type = ev.path("Type").asText();
        String action = ev.path("Action").asText();
        // "health_status: healthy", "exec_start: sh -c ..." carry a detail after the action name
        int colon = action.indexOf(": ");
        if (colon > 0) {
            r.put("event.action_detail", action.substring(colon + 2));
            action = action.substring(0, colon);
        }
        r.put(Fields.EVENT_TYPE, type);
        r.put(Fields.EVENT_ACTION, action);
        JsonNode actor = ev.path("Actor");
        r.put(Fields.EVENT_ACTOR_ID, actor.path("ID").asText());
        r.put(Fields.EVENT_ATTRIBUTES, actor.path("Attributes").isObject() ? actor.get("Attributes").deepCopy()
                : io.dockwatch.record.Json.NODES.objectNode());
        if (ev.hasNonNull("scope")) {
            r.put(Fields.EVENT_SCOPE, ev.get("scope").asText());
        }
        JsonNode attrs = actor.path("Attributes");
        if ("container".equals(type)) {
            r.put(Fields.CONTAINER_ID, actor.path("ID").asText());
            if (attrs.hasNonNull("name")) {
                r.put(Fields.CONTAINER_NAME, attrs.get("name").asText());
            }
            if (attrs.hasNonNull("image")) {
                r.put(Fields.CONTAINER_IMAGE_NAME, attrs.get("image").asText());
            }
            if ("die".equals(action) && attrs.hasNonNull("exitCode")) {
                try {
                    r.put(Fields.EVENT_EXIT_CODE, Long.parseLong(attrs.get("exitCode").asText()));
                } catch (NumberFormatException ignored) {
                    // kept as it came in event.attributes
                }
            }
        }
        return r;
    }
}
