package io.dockwatch.spool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every source's last durable position, by key. Positions reach here only through the spool (see
 * {@link Checkpoint}); at start they are rebuilt from the last snapshot plus the checkpoint lines
 * the spool holds after it.
 */
public final class CheckpointStore {
    private final Map<String, JsonNode> positions = new ConcurrentHashMap<>();

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

    void applyLine(byte[] buf, int from, int to) throws IOException {
        // a checkpoint line is "#" + JSON object of key -> position
        JsonNode n = Json.MAPPER.readTree(buf, from + 1, to - from - 1);
        n.fields().forEachRemaining(e -> apply(e.getKey(), e.getValue()));
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
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
