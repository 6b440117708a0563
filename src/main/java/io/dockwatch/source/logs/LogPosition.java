package io.dockwatch.source.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import java.time.Instant;

/**
 * Where a container's log was read up to: the timestamp of the last delivered entry and how many
 * entries carried it (several lines can share one timestamp). A resumed read asks Docker for
 * {@code since=ts} and skips {@code count} entries.
 */
record LogPosition(String ts, int count, String finishedAt) {

    static LogPosition fromJson(JsonNode n) {
        if (n == null || !n.hasNonNull("ts")) {
            return null;
        }
        return new LogPosition(n.get("ts").asText(), n.path("n").asInt(), n.path("finished_at").asText(null));
    }

    JsonNode toJson() {
        ObjectNode n = Json.NODES.objectNode();
        n.put("ts", ts);
        n.put("n", count);
        if (finishedAt != null) {
            n.put("finished_at", finishedAt);
        }
        return n;
    }

    LogPosition finished(String at) {
        return new LogPosition(ts, count, at);
    }

    /** Docker's {@code since}: seconds with a 9-digit fraction. */
    String sinceParam() {
        Instant i = Instant.parse(ts);
        return i.getEpochSecond() + "." + String.format("%09d", i.getNano());
    }
}
