package io.dockwatch.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.spool.CheckpointStore;
import io.dockwatch.spool.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of once-per-cluster sources, shared by the collectors of a cluster through files in
 * the cluster folder, so a new leader resumes where the old one stopped.
 *
 * <p>Why a copy and not the spool: each collector's spool is its own, so it cannot tell another
 * collector anything. The copy is taken from the local checkpoint store, which a position reaches
 * only once its records are durable in the local spool; so the shared file never runs ahead of
 * durable records. It may lag by one mirror period: a leader killed within that period makes
 * its successor repeat the last records (at least once, never a loss).
 */
public final class SharedCheckpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedCheckpoints.class);
    private static final long MIRROR_PERIOD_MS = 100;

    private final Path dir;
    private final CheckpointStore local;
    private final Map<String, JsonNode> mirrored = new ConcurrentHashMap<>();
    private final ScheduledExecutorService mirror;

    public SharedCheckpoints(Path dir, CheckpointStore local) {
        this.dir = dir;
        this.local = local;
        this.mirror = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dockwatch-shared-checkpoints");
            t.setDaemon(true);
            return t;
        });
        mirror.scheduleWithFixedDelay(this::mirrorAll, MIRROR_PERIOD_MS, MIRROR_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** The position another collector (or this one) last shared for {@code key}, or null. */
    public JsonNode read(String key) {
        Path f = file(key);
        try {
            return StateFiles.readObject(f, local.recovery(),
                    "the source starts without the shared checkpoint (by its backlog policy)");
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable shared checkpoint {}: {}", f, e.getMessage());
            return null;
        }
    }

    /** Starts sharing {@code key}: from now on its durable position is copied to the cluster folder. */
    public void share(String key) {
        mirrored.putIfAbsent(key, Json.NODES.nullNode());
    }

    /** Stops sharing {@code key} after one last copy (the source stopped, e.g. leadership lost). */
    public void stopSharing(String key) {
        mirrorOne(key);
        mirrored.remove(key);
    }

    private void mirrorAll() {
        for (String key : mirrored.keySet()) {
            mirrorOne(key);
        }
    }

    private synchronized void mirrorOne(String key) {
        JsonNode now = local.get(key);
        JsonNode last = mirrored.get(key);
        if (now == null || last == null || now.equals(last)) {
            return;
        }
        try {
            Path f = file(key);
            Files.createDirectories(f.getParent());
            StateFiles.writeAtomically(f, Json.MAPPER.writeValueAsBytes(now));
            mirrored.put(key, now);
        } catch (IOException e) {
            LOG.warn("Cannot share checkpoint {} in {}: {}", key, dir, e.getMessage());
        }
    }

    private Path file(String key) {
        return dir.resolve(key.replaceAll("[^A-Za-z0-9._-]+", "_") + ".json");
    }

    @Override
    public void close() {
        mirror.shutdownNow();
        mirrorAll();
    }
}
