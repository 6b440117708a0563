package io.dockwatch.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@code /events} subscription of a daemon, shared by every part that follows events (the
 * events source, the config source, the metadata cache).
 *
 * <pre>
 *  dockerd ──/events──► reader thread ──queue──► dispatcher thread ──► listeners, in order
 *             ▲  (hands off at once: dockerd drops      │ drops what it has seen (time, identity)
 *             │   readers slower than ~100 ms)          │
 *             └── on EOF or error: reconnect with backoff, since = last dispatched event's time
 * </pre>
 *
 * The stream is a connection of its own ({@link DirectStream}), not the shared transport's: an
 * event stream may be quiet for hours, which the transport's response timeout would take for a
 * dead daemon, while TCP keepalive and the daemon's liveness probe tell a quiet link from a dead one.
 *
 * Reads {@code Type}, {@code Action}, {@code Actor} and {@code timeNano} only: from API 1.52 the
 * legacy {@code status}/{@code id}/{@code from} fields are gone.
 */
public final class DaemonEvents {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonEvents.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** Gets each event once, in order, with the stream position after it. */
    public interface Listener {
        void onEvent(JsonNode event, JsonNode positionAfter);

        /** Called once connected (again); {@code reconnect} is false the first time. */
        default void onConnected(boolean reconnect) {
        }
    }

    private final DockerDaemon daemon;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile long lastTimeNano;
    /** Where to read from while no event was seen: the daemon's time at the collector's start (or at the first connection). */
    private volatile long liveSinceNano;
    private final Set<String> seenAtLast = new HashSet<>();
    private volatile boolean running;
    private volatile DirectStream current;
    private Thread reader;
    private Thread dispatcher;
    private final Object connectedMarker = new Object();
    private volatile boolean everConnected;
    private volatile boolean connected;
    /** When this collector last received an event (its own clock): metrics and the status page. */
    private volatile long lastEventAtMillis;

    /** Docker's {@code filters} query value (URL-encoded JSON), or empty for every event. */
    private final String filters;

    public DaemonEvents(DockerDaemon daemon) {
        this(daemon, "");
    }

    /**
     * A subscription of its own with Docker-side filters, e.g. {@code {"scope":["swarm"]}}: for a
     * source that must resume from its own position rather than the shared stream's.
     */
    public DaemonEvents(DockerDaemon daemon, String filtersJson) {
        this.daemon = daemon;
        this.filters = filtersJson.isEmpty() ? ""
                : java.net.URLEncoder.encode(filtersJson, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Resume after this position (from a checkpoint), so events while we were down still arrive once. */
    public synchronized void resumeFrom(JsonNode position) {
        if (position != null && position.has("time_nano") && position.get("time_nano").asLong() > lastTimeNano) {
            lastTimeNano = position.get("time_nano").asLong();
            seenAtLast.clear();
            position.path("seen").forEach(s -> seenAtLast.add(s.asText()));
        }
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    public boolean isConnected() {
        return connected;
    }

    /** True once started and until stopped: an idle stream (no source uses it) is not a failure. */
    public boolean isRunning() {
        return running;
    }

    /** When this collector last received an event from the daemon, 0 before the first. */
    public long lastEventAtMillis() {
        return lastEventAtMillis;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        if (lastTimeNano == 0 && liveSinceNano == 0) {
            // no checkpoint: events from the collector's start (the daemon's clock when it was
            // first asked, before the routes started), not from whenever the reader thread gets
            // to connect: on a loaded host that is seconds later, and a container started in
            // between would have no events at all
            liveSinceNano = daemon.systemTimeNanos();
        }
        daemon.startLivenessProbe();
        reader = new Thread(this::readLoop, "dockwatch-events-read-" + daemon.key());
        dispatcher = new Thread(this::dispatchLoop, "dockwatch-events-dispatch-" + daemon.key());
        reader.setDaemon(true);
        dispatcher.setDaemon(true);
        dispatcher.start();
        reader.start();
    }

    public synchronized void stop() {
        running = false;
        DirectStream r = current;
        if (r != null) {
            r.close(); // unblocks the reader's read
        }
        if (reader != null) {
            reader.interrupt();
            dispatcher.interrupt();
            try {
                reader.join(2000);
                dispatcher.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void readLoop() {
        long backoffMs = 500;
        boolean down = false;
        while (running) {
            long linkBacks = daemon.linkBackCount();
            try {
                daemon.connect();
                long floor = liveSinceNano;
                String since = lastTimeNano > 0 ? sinceParam(lastTimeNano) : floor > 0 ? sinceParam(floor) : null;
                long connectedAt = daemon.systemTimeNanos();
                StringBuilder q = new StringBuilder("/events");
                if (since != null) {
                    q.append("?since=").append(since);
                }
                if (!filters.isEmpty()) {
                    q.append(since != null ? '&' : '?').append("filters=").append(filters);
                }
                DirectStream r = daemon.directStream(q.toString());
                current = r;
                connected = true;
                if (liveSinceNano == 0 && lastTimeNano == 0) {
                    // from here on every event reaches us: a reconnect before the first event
                    // resumes from this point, so a stream lost early loses nothing
                    liveSinceNano = connectedAt;
                }
                daemon.markConnected();
                if (down) {
                    LOG.debug("Docker events from {} resume from {}", daemon.endpoint().uri(), since);
                    down = false;
                }
                queue.put(connectedMarker);
                backoffMs = 500;
                try (MappingIterator<JsonNode> it = Json.MAPPER.readerFor(JsonNode.class).readValues(r.inputStream())) {
                    while (running && it.hasNextValue()) {
                        queue.put(it.nextValue());
                        lastEventAtMillis = System.currentTimeMillis();
                    }
                }
                if (running) {
                    throw new DockerApiException("event stream ended", -1);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                connected = false;
                if (!running) {
                    return;
                }
                // the daemon logs the outage once (and its reason, e.g. a refused TLS certificate)
                daemon.markDisconnected(e);
                down = true;
                try {
                    // sooner if the daemon's liveness probe finds it back, and then from the start
                    boolean back = daemon.awaitReconnect(backoffMs, linkBacks);
                    backoffMs = back ? 500 : Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            } finally {
                DirectStream r = current;
                current = null;
                if (r != null) {
                    r.close();
                }
            }
        }
    }

    /** Docker's {@code since} takes seconds with an optional fraction: {@code 1732673200.123456789}. */
    static String sinceParam(long timeNano) {
        return (timeNano / 1_000_000_000L) + "." + String.format("%09d", timeNano % 1_000_000_000L);
    }

    private void dispatchLoop() {
        while (running) {
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (item == connectedMarker) {
                    boolean reconnect = everConnected;
                    everConnected = true;
                    for (Listener l : listeners) {
                        l.onConnected(reconnect);
                    }
                    continue;
                }
                JsonNode ev = (JsonNode) item;
                JsonNode position = advance(ev);
                if (position == null) {
                    continue; // seen before the reconnect
                }
                for (Listener l : listeners) {
                    l.onEvent(ev, position);
                }
            } catch (RuntimeException e) {
                LOG.warn("Event listener failed on {}: {}", daemon.endpoint().uri(), e.toString());
            }
        }
    }

    /** Position after {@code ev}, or null when it was already dispatched. */
    private synchronized JsonNode advance(JsonNode ev) {
        long t = timeNano(ev);
        String id = identity(ev);
        if (t < lastTimeNano || (t == lastTimeNano && seenAtLast.contains(id))) {
            return null;
        }
        if (t > lastTimeNano) {
            lastTimeNano = t;
            seenAtLast.clear();
        }
        seenAtLast.add(id);
        ObjectNode pos = Json.NODES.objectNode();
        pos.put("time_nano", lastTimeNano);
        ArrayNode seen = pos.putArray("seen");
        seenAtLast.forEach(seen::add);
        return pos;
    }

    public static long timeNano(JsonNode ev) {
        JsonNode tn = ev.get("timeNano");
        return tn != null ? tn.asLong() : ev.path("time").asLong() * 1_000_000_000L;
    }

    static String identity(JsonNode ev) {
        return ev.path("Type").asText() + "|" + ev.path("Action").asText() + "|" + ev.path("Actor").path("ID").asText();
    }
}
