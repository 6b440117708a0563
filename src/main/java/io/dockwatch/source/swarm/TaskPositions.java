package io.dockwatch.source.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a service's log was read up to, per task: the timestamp of the task's last delivered line
 * and how many of its lines carried it. Per task because the manager interleaves the tasks as
 * their lines arrive, so one position for the whole service would skip or repeat lines.
 * Immutable.
 */
record TaskPositions(Map<String, Position> tasks) {
    /** Tasks kept at most; the oldest go first (a long-lived service replaces tasks on every update). */
    static final int MAX_TASKS = 256;

    record Position(String ts, int count) {
    }

    static final TaskPositions EMPTY = new TaskPositions(Map.of());

    static TaskPositions fromJson(JsonNode n) {
        if (n == null || !n.path("tasks").isObject()) {
            return EMPTY;
        }
        Map<String, Position> m = new LinkedHashMap<>();
        n.get("tasks").fields().forEachRemaining(e ->
                m.put(e.getKey(), new Position(e.getValue().path("ts").asText(), e.getValue().path("n").asInt())));
        return new TaskPositions(Map.copyOf(m));
    }

    JsonNode toJson() {
        ObjectNode n = Json.NODES.objectNode();
        ObjectNode t = n.putObject("tasks");
        tasks.forEach((id, p) -> t.putObject(id).put("ts", p.ts()).put("n", p.count()));
        return n;
    }

    /** Per task, the position further on: shared and local checkpoints combined. */
    TaskPositions laterOf(TaskPositions other) {
        Map<String, Position> m = new LinkedHashMap<>(tasks);
        other.tasks.forEach((id, p) -> m.merge(id, p, (a, b) -> compare(a, b) >= 0 ? a : b));
        return new TaskPositions(Map.copyOf(m));
    }

    /** The position after one more line of {@code taskId} stamped {@code ts}. */
    TaskPositions after(String taskId, String ts) {
        return after(taskId, ts, 1);
    }

    /** The position after {@code entries} more entries of {@code taskId} stamped {@code ts}. */
    TaskPositions after(String taskId, String ts, int entries) {
        Map<String, Position> m = new LinkedHashMap<>(tasks);
        Position p = m.get(taskId);
        m.put(taskId, p != null && p.ts().equals(ts) ? new Position(ts, p.count() + entries) : new Position(ts, entries));
        if (m.size() > MAX_TASKS) {
            String oldest = null;
            for (Map.Entry<String, Position> e : m.entrySet()) {
                if (!e.getKey().equals(taskId) && (oldest == null || e.getValue().ts().compareTo(m.get(oldest).ts()) < 0)) {
                    oldest = e.getKey();
                }
            }
            m.remove(oldest);
        }
        return new TaskPositions(Map.copyOf(m));
    }

    /** Docker's {@code since} to resume every task: the earliest task position (inclusive). */
    String sinceParam() {
        String min = null;
        for (Position p : tasks.values()) {
            if (min == null || p.ts().compareTo(min) < 0) {
                min = p.ts();
            }
        }
        if (min == null) {
            return null;
        }
        Instant i = Instant.parse(min);
        return i.getEpochSecond() + "." + String.format("%09d", i.getNano());
    }

    boolean isEmpty() {
        return tasks.isEmpty();
    }

    Position get(String taskId) {
        return tasks.get(taskId);
    }

    private static int compare(Position a, Position b) {
        // Docker's timestamps are fixed-width UTC with 9-digit nanos: text order is time order
        int c = a.ts().compareTo(b.ts());
        return c != 0 ? c : Integer.compare(a.count(), b.count());
    }
}
