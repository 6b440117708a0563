package io.dockwatch.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.record.Json;
import io.dockwatch.record.Utf8;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the collector last saw of each container, kept in memory so that an event that needs
 * explaining (a non-zero die, an oom, a kill, an unhealthy health check) can carry it without a
 * single extra Docker call: the last N log lines, the last stats sample, the configuration hash
 * and whether the workload drifted at its last start.
 *
 * <p>Bounded: N lines per container, each cut to {@value #MAX_LINE_BYTES} bytes and together at
 * most {@value #MAX_CONTEXT_BYTES} (the oldest go first; on a host of a thousand containers
 * this is most of what a followed container costs), the stats sample kept as its JSON text, and a
 * container's context is dropped once it is destroyed. The destroy is seen on the daemon's event
 * dispatcher, possibly before the events source explained the container's die, so the last
 * {@value #MAX_DESTROYED_KEPT} destroyed keep their lines; older ones keep only a mark that they
 * were destroyed (so a late stats sample, follower or die does not start a new context, nor wait
 * for a configuration that will never come), and the mark goes after
 * {@link #KEEP_AFTER_DESTROY_NANOS}, or beyond {@value #MAX_TOMBSTONES} of them. Containers removed
 * while events were not followed go by {@link #retainOnly}.
 */
public final class ContainerContexts {
    static final int MAX_LINE_BYTES = 2048;
    /** A container's kept lines together, at most (messages; the newest line is always kept). */
    static final int MAX_CONTEXT_BYTES = 4096;
    private static final long KEEP_AFTER_DESTROY_NANOS = TimeUnit.MINUTES.toNanos(2);
    static final int MAX_DESTROYED_KEPT = 64;
    static final int MAX_TOMBSTONES = 4096;

    private final int lines;
    private final Map<String, Context> contexts = new ConcurrentHashMap<>();
    /** Daemons whose containers' configuration a config source records (see {@link #awaitLogs}). */
    private final Set<String> configRecorded = ConcurrentHashMap.newKeySet();
    /** Destroyed containers whose context still holds lines and stats, oldest first. */
    private final ArrayDeque<String> destroyedWithData = new ArrayDeque<>();
    /** Destroyed containers whose context is only a mark that they were destroyed, oldest first. */
    private final ArrayDeque<String> tombstones = new ArrayDeque<>();

    /** A log line as kept: plain fields, turned into JSON only when an event needs it. */
    private record Line(String timestamp, String stream, byte[] message) {
    }

    private static final class Context {
        final ArrayDeque<Line> lines = new ArrayDeque<>(4);
        /** Bytes of the messages in {@link #lines}. */
        int lineBytes;
        /** The last stats sample as JSON text: a tenth of its tree's heap, parsed only for an event. */
        volatile byte[] stats;
        volatile String configHash;
        volatile boolean drifted;
        volatile boolean following;
        volatile long destroyedAt;
        final long createdAt = System.nanoTime();
        final Object logsDone = new Object();

        /** What a destroyed container's context no longer needs: its lines and stats. */
        void strip() {
            synchronized (lines) {
                lines.clear();
                lineBytes = 0;
            }
            stats = null;
        }
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
            c.lines.addLast(line);
            c.lineBytes += line.message().length;
            while (c.lines.size() > lines || c.lines.size() > 1 && c.lineBytes > MAX_CONTEXT_BYTES) {
                c.lineBytes -= c.lines.removeFirst().message().length;
            }
        }
    }

    /** A follower started reading this container's log: a die event then waits for it to finish. */
    public void logsFollowing(String daemonKey, String containerId) {
        context(daemonKey, containerId).following = true;
    }

    /** The follower read the container's log to the end of its run (or gave up). */
    public void logsDone(String daemonKey, String containerId) {
        Context c = contexts.get(key(daemonKey, containerId));
        if (c == null) {
            return; // dropped already: no one waits
        }
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
            // a destroyed container not inspected yet never will be: its die does not wait for that
            while (c.following || (needConfig && c.configHash == null && c.destroyedAt == 0)) {
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
        try {
            context(daemonKey, containerId).stats = Json.MAPPER.writeValueAsBytes(stats);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a stats tree that does not serialize: " + e.getMessage(), e);
        }
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
        String k = key(daemonKey, containerId);
        Context c = contexts.get(k);
        if (c == null || c.destroyedAt != 0) {
            return;
        }
        long now = System.nanoTime();
        c.destroyedAt = now;
        synchronized (destroyedWithData) {
            destroyedWithData.addLast(k);
            while (!destroyedWithData.isEmpty()) {
                Context oldest = contexts.get(destroyedWithData.peekFirst());
                if (oldest != null && destroyedWithData.size() <= MAX_DESTROYED_KEPT
                        && now - oldest.destroyedAt <= KEEP_AFTER_DESTROY_NANOS) {
                    break;
                }
                String stripped = destroyedWithData.removeFirst();
                if (oldest != null) {
                    oldest.strip();
                    tombstones.addLast(stripped);
                }
            }
            while (!tombstones.isEmpty()) {
                Context oldest = contexts.get(tombstones.peekFirst());
                if (oldest != null && tombstones.size() <= MAX_TOMBSTONES && now - oldest.destroyedAt <= KEEP_AFTER_DESTROY_NANOS) {
                    break;
                }
                contexts.remove(tombstones.removeFirst());
            }
        }
    }

    /** Keeps the contexts in step with a daemon's events: a destroyed container's goes. */
    public DaemonEvents.Listener listenerFor(String daemonKey) {
        return (ev, position) -> {
            if ("container".equals(ev.path("Type").asText()) && "destroy".equals(ev.path("Action").asText())) {
                destroyed(daemonKey, ev.path("Actor").path("ID").asText());
            }
        };
    }

    /** After a full listing of a daemon's containers (taken at {@code listedAtNanos}): the others, older, were removed unseen. */
    public void retainOnly(String daemonKey, Set<String> existingIds, long listedAtNanos) {
        String prefix = daemonKey + "/";
        for (String k : List.copyOf(contexts.keySet())) {
            Context c = contexts.get(k);
            if (k.startsWith(prefix) && c != null && c.createdAt - listedAtNanos < 0
                    && !existingIds.contains(k.substring(prefix.length()))) {
                destroyed(daemonKey, k.substring(prefix.length()));
            }
        }
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
        byte[] stats = c.stats;
        if (stats != null) {
            try {
                ctx.set("stats", Json.MAPPER.readTree(stats));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("kept stats that do not parse: " + e.getMessage(), e);
            }
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
