package io.dockwatch.spool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every source's last durable position, by key. Positions reach here only through the spool (see
 * {@link Checkpoint}); at start they are rebuilt from the last snapshot plus the checkpoint lines
 * the spool holds after it.
 */
public final class CheckpointStore {
    private final Map<String, JsonNode> positions = new ConcurrentHashMap<>();
    private final StateRecovery recovery = new StateRecovery();

    public JsonNode get(String key) {
        return positions.get(key);
    }

    /** Keys starting with {@code prefix}, with their positions. */
    public Map<String, JsonNode> withPrefix(String prefix) {
        Map<String, JsonNode> m = new java.util.TreeMap<>();
        positions.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k, v);
            }
        });
        return m;
    }

    void apply(String key, JsonNode position) {
        if (position == null || position.isNull()) {
            positions.remove(key);
        } else {
            positions.put(key, position);
        }
    }

    /** What was skipped in damaged state files of the spools that use this store (one per collector). */
    public StateRecovery recovery() {
        return recovery;
    }

    /**
     * Applies a checkpoint line ({@code "#"} + a JSON object of key to position). Returns false,
     * applying nothing, when the line is not one: the caller reports it, a damaged line must
     * never stop a start.
     */
    boolean applyLine(byte[] buf, int from, int to) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(buf, from + 1, to - from - 1);
        } catch (IOException e) {
            return false;
        }
        if (!(n instanceof ObjectNode)) {
            return false;
        }
        n.fields().forEachRemaining(e -> apply(e.getKey(), e.getValue()));
        return true;
    }

    ObjectNode snapshot() {
        ObjectNode n = Json.NODES.objectNode();
        positions.forEach(n::set);
        return n;
    }

    void load(ObjectNode snapshot) {
        snapshot.fields().forEachRemaining(e -> positions.put(e.getKey(), e.getValue()));
    }

    static void writeAtomically(Path file, byte[] content) throws IOException {
        StateFiles.writeAtomically(file, content);
    }
}
