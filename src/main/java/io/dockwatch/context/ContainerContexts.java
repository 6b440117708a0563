package io.dockwatch.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import io.dockwatch.record.Utf8;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the collector last saw of each container, kept in memory so that an event that needs
 * explaining (a non-zero die, an oom, a kill, an unhealthy health check) can carry it without a
 * single extra Docker call: the last N log lines, the last stats sample, the configuration hash
 * and whether the workload drifted at its last start.
 *
 * <p>Bounded: N lines per container (each cut to {@value #MAX_LINE_BYTES} bytes), and a
 * container's context is dropped a while after it is destroyed.
 */
public final class ContainerContexts {
    static final int MAX_LINE_BYTES = 2048;
    private static final long KEEP_AFTER_DESTROY_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final int lines;
    private final Map<String, Context> contexts = new ConcurrentHashMap<>();
    /** Daemons whose containers' configuration a config source records (see {@link #awaitLogs}). */
    private final java.util.Set<String> configRecorded = ConcurrentHashMap.newKeySet();

    /** A log line as kept: plain fields, turned into JSON only when an event needs it. */
    private record Line(String timestamp, String stream, byte[] message) {
    }

    private static final class Context {
        final ArrayDeque<Line> lines = new ArrayDeque<>();
        volatile JsonNode stats;
        volatile String configHash;
        volatile boolean drifted;
        volatile boolean following;
        volatile long destroyedAt;
        final Object logsDone = new Object();
    }

    public ContainerContexts(int lines) {
        this.lines = lines;
    }

    private static String key(String daemonKey, String containerId) {
        return daemonKey + "/" + containerId;
    }

    private Context context(String daemonKey, String containerId) {
        return contexts.computeIfAbsent(key(daemonKey, containerId), k -> new Context());
    }

    /** Keeps a container's last lines; a log follower holds one, so a line costs no map look-up. */
    public interface LineRecorder {
        /** {@code message} is valid UTF-8 and not changed afterwards: kept as it is, no copy. */
        void line(String timestamp, String stream, byte[] message);
    }

    /** The recorder of one container's lines. */
    public LineRecorder lines(String daemonKey, String containerId) {
        if (lines == 0) {
            return (t, s, m) -> { };
        }
        Context c = context(daemonKey, containerId);
        return (t, s, m) -> record(c, t, s, m);
    }

    private void record(Context c, String timestamp, String stream, byte[] message) {
        // a copy only for the rare long line: this runs for every line the collector reads
        Line line = new Line(timestamp, stream, Utf8.prefix(message, MAX_LINE_BYTES));
        synchronized (c.lines) {
            if (c.lines.size() == lines) {
                c.lines.removeFirst();
            }
            c.lines.addLast(line);
        }
    }

    /** A follower started reading this container's log: a die event then waits for it to finish. */
    public void logsFollowing(String daemonKey, String containerId) {
        context(daemonKey, containerId).following = true;
    }

    /** The follower read the container's log to the end of its run (or gave up). */
    public void logsDone(String daemonKey, String containerId) {
        Context c = context(daemonKey, containerId);
        c.following = false;
        synchronized (c.logsDone) {
            c.logsDone.notifyAll();
        }
    }

    /** A config source records the configuration of this daemon's containers. */
    public void configRecorded(String daemonKey, boolean recorded) {
        if (recorded) {
            configRecorded.add(daemonKey);
        } else {
            configRecorded.remove(daemonKey);
        }
    }

    /**
     * Waits until the container's log follower has read to the end, so that a die event's context
     * holds the container's last lines (the event usually arrives before the last lines are read),
     * and, where a config source runs, until the container's configuration is known: a container
     * that dies at once can have its die event handled before its create was inspected.
     */
    public void awaitLogs(String daemonKey, String containerId, long timeoutMs) {
        boolean needConfig = configRecorded.contains(daemonKey);
        Context c = needConfig ? context(daemonKey, containerId) : contexts.get(key(daemonKey, containerId));
        if (c == null) {
            return;
        }
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (c.logsDone) {
            while (c.following || (needConfig && c.configHash == null)) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return;
                }
                try {
                    c.logsDone.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public void stats(String daemonKey, String containerId, JsonNode stats) {
        context(daemonKey, containerId).stats = stats;
    }

    public void config(String daemonKey, String containerId, String hash, boolean drifted) {
        Context c = context(daemonKey, containerId);
        c.drifted = drifted;
        c.configHash = hash;
        synchronized (c.logsDone) {
            c.logsDone.notifyAll();
        }
    }

    public void destroyed(String daemonKey, String containerId) {
        Context c = contexts.get(key(daemonKey, containerId));
        if (c != null) {
            c.destroyedAt = System.nanoTime();
        }
        long now = System.nanoTime();
        contexts.values().removeIf(x -> x.destroyedAt != 0 && now - x.destroyedAt > KEEP_AFTER_DESTROY_NANOS);
    }

    /** The {@code context} object for an event record, or null when nothing is known. */
    public ObjectNode snapshot(String daemonKey, String containerId) {
        Context c = contexts.get(key(daemonKey, containerId));
        if (c == null) {
            return null;
        }
        ObjectNode ctx = Json.NODES.objectNode();
        ArrayNode l = ctx.putArray("logs");
        synchronized (c.lines) {
            c.lines.forEach(line -> l.addObject().put("@timestamp", line.timestamp()).put("stream", line.stream())
                    .put("message", Utf8.text(line.message())));
        }
        if (c.stats != null) {
            ctx.set("stats", c.stats.deepCopy());
        }
        if (c.configHash != null) {
            ctx.put("config_hash", c.configHash);
            ctx.put("drifted", c.drifted);
        }
        return ctx;
    }

    public int size() {
        return contexts.size();
    }
}
