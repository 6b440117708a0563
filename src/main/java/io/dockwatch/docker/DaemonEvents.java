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
 *     │       ▲  (hands off at once: dockerd drops      │ drops what it has seen (time, identity)
 *     │       │   readers slower than ~100 ms)          │
 *     │       └── on EOF or error: reconnect with backoff, since = last dispatched event's time
 *     │                                                 ▲
 *     └─/events?since=&until= (its ring of 256)──► repair thread ──queue┘ when the reader was late
 * </pre>
 *
 * <p>Gap repair. dockerd gives each subscriber a channel of 1024 events and drops an event for a
 * subscriber whose channel stays full for 100 ms (moby's {@code daemon/events} and
 * {@code pkg/pubsub}). The stream says nothing when it drops, so the reader watches how late
 * each event reaches it (the event's time against the daemon's clock): a drop implies that some
 * event was read more than 100 ms after it happened (the last one into the full channel waited
 * there through the drop). Then the repair thread re-reads the daemon's ring of the last 256
 * events from the last point read on time ({@code since}) to now ({@code until}); the dispatcher
 * holds that answer until the live stream has passed its end (or stayed quiet {@link #REPAIR_GRACE_MS}) and
 * dispatches what the live stream never brought, late but once ({@link DeliveredEvents}). An
 * event that left the ring before it was re-read is gone: when the ring no longer holds the
 * point the re-read started from, the window is reported (a log line, {@link #unverifiedWindows()}).
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
    /** An event read this long after it happened may have followed drops (dockerd waits 100 ms). */
    static final long LATE_NANOS = 50_000_000L;
    /** At most one re-read of the daemon's ring per this interval: it costs dockerd a copy of 256 events. */
    static final long MIN_REPAIR_INTERVAL_MS = 1000;
    /** How long a re-read answer waits for the live stream to pass its end before it is dispatched. */
    static final long REPAIR_GRACE_MS = 2000;
    /** dockerd's ring of past events ({@code eventsLimit} in moby's daemon/events). */
    static final int DAEMON_RING = 256;

    /**
     * Gets each event once, with the stream position after it: in order, except an event the
     * daemon's stream dropped and a re-read of its ring recovered, which comes late.
     */
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
    /** The checkpoint this stream resumed from: what it covers was recorded before the start. */
    private long resumedNano;
    private final Set<String> resumedSeen = new HashSet<>();
    private final DeliveredEvents delivered = new DeliveredEvents();
    /** The daemon's clock minus ours, at least: an event's lateness is never under-estimated. */
    private volatile long clockOffsetNanos;

    // the repair state, guarded by repairLock
    private final Object repairLock = new Object();
    /** The last event read on time (time, identity): every event before it reached the reader. */
    private long verifiedNano;
    private String verifiedIdentity;
    private boolean repairWanted;
    private boolean repairRunning;
    private long lastRepairAtMillis;
    private Thread repairer;

    private final java.util.concurrent.atomic.AtomicLong recovered = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong unverified = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong repairs = new java.util.concurrent.atomic.AtomicLong();
    private long lastUnverifiedLogMillis;
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
            resumedNano = lastTimeNano;
            resumedSeen.clear();
            resumedSeen.addAll(seenAtLast);
            synchronized (repairLock) {
                verifiedNano = lastTimeNano;
                verifiedIdentity = seenAtLast.isEmpty() ? null : seenAtLast.iterator().next();
            }
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

    /** Events the live stream dropped and a re-read of the daemon's ring brought back. */
    public long recoveredEvents() {
        return recovered.get();
    }

    /** Re-reads whose window started before the oldest event the daemon still held: events may be lost there. */
    public long unverifiedWindows() {
        return unverified.get();
    }

    /** Re-reads of the daemon's ring (each one request). */
    public long ringRereads() {
        return repairs.get();
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
        synchronized (repairLock) {
            if (verifiedNano == 0) {
                verifiedNano = liveSinceNano;
            }
        }
        daemon.startLivenessProbe();
        reader = new Thread(this::readLoop, "dockwatch-events-read-" + daemon.key());
        dispatcher = new Thread(this::dispatchLoop, "dockwatch-events-dispatch-" + daemon.key());
        repairer = new Thread(this::repairLoop, "dockwatch-events-repair-" + daemon.key());
        reader.setDaemon(true);
        dispatcher.setDaemon(true);
        repairer.setDaemon(true);
        dispatcher.start();
        repairer.start();
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
            repairer.interrupt();
            try {
                reader.join(2000);
                dispatcher.join(2000);
                repairer.join(2000);
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
                if (daemon.systemTimeNanos() > 0) {
                    // ours taken before the request: the offset can only be too large, so lateness
                    // is over-estimated (a needless re-read), never missed
                    clockOffsetNanos = daemon.systemTimeNanos() - daemon.systemTimeAskedAtNanos();
                }
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
                        JsonNode ev = it.nextValue();
                        queue.put(ev);
                        lastEventAtMillis = System.currentTimeMillis();
                        watchLateness(ev, nowNanos());
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
        Repair held = null; // a re-read waiting for the live stream to pass its end
        long liveNewest = 0;
        long liveAtMillis = 0; // when the last live event came: a stream still bringing old ones is not done
        while (running) {
            Object item;
            try {
                item = held == null ? queue.take()
                        : queue.poll(Math.max(1, graceEnd(held, liveAtMillis) - System.currentTimeMillis()),
                                java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (item instanceof Repair r) {
                    if (held != null) {
                        dispatchRepair(held); // an older one: its grace is superseded
                    }
                    held = r;
                } else if (item == connectedMarker) {
                    boolean reconnect = everConnected;
                    everConnected = true;
                    for (Listener l : listeners) {
                        l.onConnected(reconnect);
                    }
                } else if (item != null) {
                    JsonNode ev = (JsonNode) item;
                    liveNewest = Math.max(liveNewest, timeNano(ev));
                    liveAtMillis = System.currentTimeMillis();
                    dispatch(ev);
                }
                if (held != null && (liveNewest >= held.untilNano
                        || System.currentTimeMillis() >= graceEnd(held, liveAtMillis))) {
                    Repair r = held;
                    held = null;
                    dispatchRepair(r);
                }
            } catch (RuntimeException e) {
                LOG.warn("Event listener failed on {}: {}", daemon.endpoint().uri(), e.toString());
            }
        }
    }

    /**
     * When a held re-read is dispatched although the live stream has not passed its end: once the
     * stream has brought nothing for {@link #REPAIR_GRACE_MS} (what it has not brought by then was
     * dropped), not while it is still reading a backlog in which the re-read's events may be.
     */
    private static long graceEnd(Repair held, long liveAtMillis) {
        return Math.max(held.receivedAtMillis(), liveAtMillis) + REPAIR_GRACE_MS;
    }

    /** False when it was dispatched before (a reconnect's replay, or a re-read of the ring). */
    private boolean dispatch(JsonNode ev) {
        JsonNode position = advance(ev);
        if (position == null) {
            return false;
        }
        for (Listener l : listeners) {
            l.onEvent(ev, position);
        }
        return true;
    }

    /** A re-read of the daemon's ring ({@code since} to {@code until}), as the repair thread got it. */
    private record Repair(long sinceNano, String sinceIdentity, long untilNano, List<JsonNode> events,
            long receivedAtMillis) {
    }

    /** Dispatches what the live stream never brought, and reports a window the ring no longer covers. */
    private void dispatchRepair(Repair r) {
        boolean reachesBack = r.sinceIdentity() != null
                ? r.events().stream().anyMatch(e -> timeNano(e) == r.sinceNano() && identity(e).equals(r.sinceIdentity()))
                : r.events().size() < DAEMON_RING;
        int got = 0;
        for (JsonNode ev : r.events()) {
            if (dispatch(ev)) {
                recovered.incrementAndGet();
                got++;
            }
        }
        if (got > 0) {
            LOG.info("Docker events from {}: {} events the stream had dropped were re-read from the daemon's ring",
                    daemon.endpoint().uri(), got);
        }
        if (!reachesBack) {
            unverified.incrementAndGet();
            long now = System.currentTimeMillis();
            if (now - lastUnverifiedLogMillis >= 60_000) {
                lastUnverifiedLogMillis = now;
                long oldest = r.events().isEmpty() ? r.untilNano() : timeNano(r.events().get(0));
                LOG.warn("Docker events from {}: the stream was late and the daemon keeps only its last {} events;"
                        + " events between {} and {} may be lost (dockwatch_events_unverified_windows_total counts"
                        + " such windows; this line is logged at most once a minute)", daemon.endpoint().uri(),
                        DAEMON_RING, java.time.Instant.ofEpochSecond(0, r.sinceNano()),
                        java.time.Instant.ofEpochSecond(0, oldest));
            }
        }
    }

    /** Position after {@code ev}, or null when it was already dispatched. */
    private synchronized JsonNode advance(JsonNode ev) {
        long t = timeNano(ev);
        String id = identity(ev);
        if (coveredByCheckpoint(t, id) || !delivered.add(t, id)) {
            return null;
        }
        // a late one (re-read from the ring) leaves the position where it is: the position is what
        // a restart resumes after, and everything up to it was dispatched
        if (t > lastTimeNano) {
            lastTimeNano = t;
            seenAtLast.clear();
        }
        if (t == lastTimeNano) {
            seenAtLast.add(id);
        }
        ObjectNode pos = Json.NODES.objectNode();
        pos.put("time_nano", lastTimeNano);
        ArrayNode seen = pos.putArray("seen");
        seenAtLast.forEach(seen::add);
        return pos;
    }

    /** Recorded before this start (the checkpoint resumed from). */
    private boolean coveredByCheckpoint(long t, String id) {
        return t < resumedNano || (t == resumedNano && resumedSeen.contains(id));
    }

    // ---- lateness and repair -------------------------------------------------------------------

    private static long nowNanos() {
        return DockerDaemon.epochNanosNow();
    }

    /** On the reader thread, after handing {@code ev} off: was it late enough to follow drops? */
    private void watchLateness(JsonNode ev, long readAtNanos) {
        long t = timeNano(ev);
        long offset = clockOffsetNanos;
        if (t - readAtNanos > offset) {
            clockOffsetNanos = offset = t - readAtNanos; // the clocks moved: an event cannot come before it happened
        }
        boolean late = readAtNanos + offset - t > LATE_NANOS;
        synchronized (repairLock) {
            if (late) {
                repairWanted = true;
                repairLock.notifyAll();
            } else if (!repairWanted && !repairRunning && t >= verifiedNano) {
                verifiedNano = t;
                verifiedIdentity = identity(ev);
            }
        }
    }

    private void repairLoop() {
        while (running) {
            long since;
            String sinceIdentity;
            try {
                synchronized (repairLock) {
                    while (!repairWanted) {
                        repairLock.wait();
                    }
                    long wait = lastRepairAtMillis + MIN_REPAIR_INTERVAL_MS - System.currentTimeMillis();
                    if (wait > 0) {
                        repairLock.wait(wait);
                        continue;
                    }
                    repairWanted = false;
                    repairRunning = true;
                    since = verifiedNano;
                    sinceIdentity = verifiedIdentity;
                    lastRepairAtMillis = System.currentTimeMillis();
                }
            } catch (InterruptedException e) {
                return;
            }
            Repair r = null;
            try {
                r = reread(since, sinceIdentity);
            } catch (Exception e) {
                LOG.debug("Re-reading the events ring of {} failed: {}", daemon.endpoint().uri(), e.toString());
            } finally {
                synchronized (repairLock) {
                    repairRunning = false;
                    if (r == null && connected) {
                        repairWanted = true; // once more, after the interval (a reconnect's replay asks anew)
                    } else if (!r.events().isEmpty()) {
                        JsonNode newest = r.events().get(r.events().size() - 1);
                        if (timeNano(newest) >= verifiedNano) {
                            verifiedNano = timeNano(newest);
                            verifiedIdentity = identity(newest);
                        }
                    }
                }
            }
            if (r != null) {
                try {
                    queue.put(r);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** {@code GET /events?since=&until=now}: dockerd answers from its ring at once (until is past). */
    private Repair reread(long sinceNano, String sinceIdentity) throws Exception {
        long untilNano = nowNanos() + clockOffsetNanos;
        StringBuilder q = new StringBuilder("/events?since=").append(sinceParam(sinceNano)).append("&until=")
                .append(sinceParam(Math.max(untilNano, sinceNano)));
        if (!filters.isEmpty()) {
            q.append("&filters=").append(filters);
        }
        List<JsonNode> events = new java.util.ArrayList<>();
        try (com.github.dockerjava.transport.DockerHttpClient.Response resp = daemon.stream(q.toString());
                MappingIterator<JsonNode> it = Json.MAPPER.readerFor(JsonNode.class).readValues(resp.getBody())) {
            while (it.hasNextValue()) {
                events.add(it.nextValue());
            }
        }
        repairs.incrementAndGet();
        return new Repair(sinceNano, sinceIdentity, untilNano, events, System.currentTimeMillis());
    }

    public static long timeNano(JsonNode ev) {
        JsonNode tn = ev.get("timeNano");
        return tn != null ? tn.asLong() : ev.path("time").asLong() * 1_000_000_000L;
    }

    static String identity(JsonNode ev) {
        return ev.path("Type").asText() + "|" + ev.path("Action").asText() + "|" + ev.path("Actor").path("ID").asText();
    }
}
