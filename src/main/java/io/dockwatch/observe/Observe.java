package io.dockwatch.observe;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DaemonStatus;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.docker.DockerDaemons;
import io.dockwatch.enrich.ContainerMetadata;
import io.dockwatch.enrich.ContainerMetadataCache;
import io.dockwatch.record.Json;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import io.dockwatch.settings.Settings;
import io.dockwatch.spool.Reader;
import io.dockwatch.spool.Spool;
import io.dockwatch.spool.SpoolMonitor;
import io.dockwatch.spool.Spools;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * What the collector knows about itself: counts from the sources and sinks, the state of each
 * daemon, the containers followed, the latest drift; read by the metrics, health and status page.
 *
 * <pre>
 *  DockerSourceConsumer.emit ──► received()      SpoolConsumer ──► SinkStats
 *  SpoolProducer             ──► bytesIn()       DaemonEvents  ──► (read when asked)
 *  LogsConsumer              ──► logLines(), followedContainers()
 *                     a sampler, once a second: records/s history, lines/s per container
 * </pre>
 *
 * Instrumentation is one call per batch, never per record above what the source already does.
 */
public final class Observe implements SpoolMonitor, AutoCloseable {
    /** Seconds of records-per-second history the status page charts. */
    static final int HISTORY_SECONDS = 120;
    private static final int DRIFTS_KEPT = 10;
    /** Weight of the newest second in a container's smoothed line rate. */
    private static final double RATE_SMOOTHING = 0.3;

    public enum Phase { STARTING, RUNNING, STOPPING }

    private final Settings settings;
    private final DockerDaemons daemons;
    private final Spools spools;
    private final ContainerMetadataCache metadata;
    private final Metrics metrics = new Metrics();
    final Metrics.Counter sourceRecords;
    final Metrics.Counter sourceBytes;
    final Metrics.Counter sinkRecordsOut;
    final Metrics.Counter sinkRecordsFailed;
    final Metrics.Counter sinkRecordsRetried;
    private final Map<String, SinkStats> sinks = new ConcurrentHashMap<>();
    private final Map<String, ContainerRate> containers = new ConcurrentHashMap<>();
    private final Deque<ObjectNode> drifts = new ArrayDeque<>();
    private final double[] perSecond = new double[HISTORY_SECONDS];
    private int historyNext;
    private int historyFilled;
    private long lastTotal;
    private volatile Supplier<Map<String, Collection<String>>> followed = Map::of;
    /** daemon key/container id → where its log is read ({@code file} or {@code api}), for the status page. */
    private volatile Supplier<Map<String, String>> logsRead = Map::of;
    /** The values {@link #logsReadFrom} gives: a container's json-file files, or the API. */
    private static final List<String> LOG_READ_PATHS = List.of("file", "api");
    private volatile Phase phase = Phase.STARTING;
    private final long startedMillis = System.currentTimeMillis();
    private final ScheduledExecutorService sampler;

    /** Lines of one followed container: a running total and a smoothed per-second rate. */
    private static final class ContainerRate {
        final String daemonKey;
        final String id;
        final LongAdder lines = new LongAdder();
        long sampled;
        volatile double perSecond;
        volatile long lastLineMillis;

        ContainerRate(String daemonKey, String id) {
            this.daemonKey = daemonKey;
            this.id = id;
        }
    }

    /** Watches these daemons, spools and containers, with the health thresholds of {@code settings}. */
    public Observe(Settings settings, DockerDaemons daemons, Spools spools, ContainerMetadataCache metadata) {
        this.settings = settings;
        this.daemons = daemons;
        this.spools = spools;
        this.metadata = metadata;
        sourceRecords = metrics.counter("dockwatch_source_records_total",
                "Records a source handed to its route, by source (route id).", "source");
        sourceBytes = metrics.counter("dockwatch_source_bytes_total",
                "Bytes of JSON a source's records took in the spool, by source (route id).", "source");
        sinkRecordsOut = metrics.counter("dockwatch_sink_records_total",
                "Records a sink delivered (acknowledged by the destination).", "sink");
        sinkRecordsFailed = metrics.counter("dockwatch_sink_records_failed_total",
                "Records in batches a sink failed to deliver (they stay in the spool and are retried).", "sink");
        sinkRecordsRetried = metrics.counter("dockwatch_sink_records_retried_total",
                "Records sent again after a failed attempt.", "sink");
        metrics.gauge("dockwatch_sink_up", "1 while the sink delivers, 0 while it keeps failing.", "sink",
                () -> bySink(s -> s.isFailing() ? 0 : 1));
        metrics.gauge("dockwatch_sink_lag_bytes", "Bytes in the spool the sink has not delivered yet.", "sink",
                () -> bySink(SinkStats::lagBytes));
        metrics.gauge("dockwatch_spool_size_bytes", "Bytes the spool's segment files take on disk.", "spool",
                () -> bySpool(Spool::diskBytes));
        metrics.gauge("dockwatch_spool_oldest_age_seconds",
                "Upper bound on the age of the oldest record some sink has not delivered yet (0 when none waits).",
                "spool", this::oldestAgeBySpool);
        metrics.counterFrom("dockwatch_spool_dropped_records_total",
                "Records the drop-oldest policy deleted before every sink delivered them (spool full).", "spool",
                () -> bySpool(Spool::droppedRecords));
        metrics.counterFrom("dockwatch_spool_dropped_bytes_total", "Bytes of those dropped records.", "spool",
                () -> bySpool(Spool::droppedBytes));
        metrics.counterFrom("dockwatch_spool_blocked_seconds_total",
                "Time sources waited for room under the block policy (spool full).", "spool",
                () -> bySpoolDouble(sp -> sp.blockedMillis() / 1000.0));
        metrics.gauge("dockwatch_disk_full",
                "1 while the spool cannot write (its disk is full, or writes fail otherwise): sources pause.", "spool",
                () -> byOpenSpool(sp -> sp.writeFailingSinceMillis() != 0 ? 1 : 0));
        metrics.counterFrom("dockwatch_spool_paused_seconds_total",
                "Time sources waited because the spool could not write (disk full).", "spool",
                () -> byOpenSpoolDouble(sp -> sp.pausedMillis() / 1000.0));
        metrics.counterFrom("dockwatch_state_recovered_total",
                "Damaged places in state files (spool segments, checkpoint snapshot, sink cursors) skipped to start anyway.",
                "file", () -> spools.checkpoints().recovery().counts());
        metrics.gauge("dockwatch_daemons_connected", "Docker daemons whose event stream is connected.", null,
                () -> Map.of("", daemonsConnected()));
        metrics.gauge("dockwatch_daemon_up", "1 while the daemon's event stream is connected, by daemon endpoint.",
                "daemon", () -> byDaemon(e -> e.isConnected() ? 1 : 0));
        metrics.gauge("dockwatch_daemon_seconds_since_last_event",
                "Seconds since the last event arrived from the daemon (since start when none came yet).", "daemon",
                () -> byDaemonDouble(this::secondsSinceLastEvent));
        metrics.counterFrom("dockwatch_events_recovered_total",
                "Events the daemon's stream dropped (the reader was late) that a re-read of its ring brought back.",
                "daemon", () -> byDaemon(DaemonEvents::recoveredEvents));
        metrics.counterFrom("dockwatch_events_unverified_windows_total",
                "Re-reads of the daemon's ring that no longer reached back to the last event read on time: events there may be lost.",
                "daemon", () -> byDaemon(DaemonEvents::unverifiedWindows));
        metrics.counterFrom("dockwatch_events_ring_rereads_total",
                "Requests re-reading the daemon's ring of recent events after the stream was late.", "daemon",
                () -> byDaemon(DaemonEvents::ringRereads));
        metrics.gauge("dockwatch_containers_followed", "Containers whose logs are being followed, by daemon.", "daemon",
                this::followedByDaemon);
        metrics.gauge("dockwatch_uptime_seconds", "Seconds since the collector started.", null,
                () -> Map.of("", (System.currentTimeMillis() - startedMillis) / 1000.0));
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dockwatch-observe-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    public Metrics metrics() {
        return metrics;
    }

    public Phase phase() {
        return phase;
    }

    public void phase(Phase p) {
        phase = p;
    }

    // ---- instrumentation: one call per batch ------------------------------------------------

    /** A source's route took this body (a Record, a list of them, or null for a bare checkpoint). */
    public void received(String source, Object body) {
        if (body instanceof Record r) {
            sourceRecords.labels(source).increment();
            keepIfDrift(r);
        } else if (body instanceof List<?> list && !list.isEmpty()) {
            sourceRecords.labels(source).add(list.size());
            if (list.get(0) instanceof Record first && !Kind.LOG.value().equals(first.kind())) {
                list.forEach(o -> keepIfDrift((Record) o));
            }
        }
    }

    /** Bytes of JSON a source's records took in the spool. */
    /** Where each container's log is read (daemon key/container id → {@code file} or {@code api}), shown on the status page. */
    public void logsReadFrom(Supplier<Map<String, String>> logsRead) {
        this.logsRead = logsRead;
    }

    @Override
    public void bytesIn(String source, long bytes) {
        sourceBytes.labels(source).add(bytes);
    }

    /** Log lines of one container, counted for its line rate. */
    public void logLines(DockerDaemon daemon, String containerId, int lines) {
        ContainerRate c = containers.computeIfAbsent(daemon.key() + "/" + containerId,
                k -> new ContainerRate(daemon.key(), containerId));
        c.lines.add(lines);
        c.lastLineMillis = System.currentTimeMillis();
    }

    /** The log source tells which containers it follows: daemon key → container ids. */
    public void followedContainers(Supplier<Map<String, Collection<String>>> supplier) {
        followed = supplier;
    }

    /** The stats of one sink (a spool reader), made when its loop starts. */
    @Override
    public SinkStats sink(String name, Spool spool, Reader reader) {
        return sinks.computeIfAbsent(name, n -> new SinkStats(n, spool, reader, this));
    }

    private void keepIfDrift(Record r) {
        if (Kind.DRIFT.value().equals(r.kind())) {
            synchronized (drifts) {
                drifts.addFirst(r.node());
                while (drifts.size() > DRIFTS_KEPT) {
                    drifts.removeLast();
                }
            }
        }
    }

    // ---- sampling -----------------------------------------------------------------------------

    private void sample() {
        long total = 0;
        for (String source : sourceRecords.samples().keySet()) {
            total += sourceRecords.get(source);
        }
        synchronized (perSecond) {
            if (lastTotal != 0 || historyFilled > 0) {
                perSecond[historyNext] = Math.max(0, total - lastTotal);
                historyNext = (historyNext + 1) % HISTORY_SECONDS;
                historyFilled = Math.min(HISTORY_SECONDS, historyFilled + 1);
            }
            lastTotal = total;
        }
        Set<String> followedKeys = new java.util.HashSet<>();
        followed.get().forEach((daemon, ids) -> ids.forEach(id -> followedKeys.add(daemon + "/" + id)));
        for (Map.Entry<String, ContainerRate> e : containers.entrySet()) {
            ContainerRate c = e.getValue();
            long now = c.lines.sum();
            c.perSecond = RATE_SMOOTHING * (now - c.sampled) + (1 - RATE_SMOOTHING) * c.perSecond;
            c.sampled = now;
            if (!followedKeys.contains(e.getKey()) && c.perSecond < 0.01) {
                containers.remove(e.getKey()); // no longer followed and quiet: forget it
            }
        }
    }

    /** Records per second over the last seconds, oldest first. */
    public double[] recordsPerSecond() {
        synchronized (perSecond) {
            double[] out = new double[historyFilled];
            int start = (historyNext - historyFilled + HISTORY_SECONDS) % HISTORY_SECONDS;
            for (int i = 0; i < historyFilled; i++) {
                out[i] = perSecond[(start + i) % HISTORY_SECONDS];
            }
            return out;
        }
    }

    // ---- reading state ------------------------------------------------------------------------

    /**
     * The largest lag among the sinks that deliver: how far behind the collector's output is. A
     * failing sink is left out: a dead destination must not slow collection for the others.
     */
    public long deliveryLagBytes() {
        long lag = 0;
        for (SinkStats s : sinks.values()) {
            if (!s.isFailing()) {
                lag = Math.max(lag, s.lagBytes());
            }
        }
        return lag;
    }

    private Map<String, Number> bySink(ToLongFunction<SinkStats> f) {
        Map<String, Number> m = new HashMap<>();
        sinks.forEach((name, s) -> m.put(name, f.applyAsLong(s)));
        return m;
    }

    private Map<String, Spool> spools() {
        Map<String, Spool> m = new LinkedHashMap<>();
        sinks.values().forEach(s -> m.putIfAbsent(s.spool().dir().getFileName().toString(), s.spool()));
        return m;
    }

    private Map<String, Number> bySpool(ToLongFunction<Spool> f) {
        Map<String, Number> m = new HashMap<>();
        spools().forEach((name, s) -> m.put(name, f.applyAsLong(s)));
        return m;
    }

    private Map<String, Number> bySpoolDouble(java.util.function.ToDoubleFunction<Spool> f) {
        Map<String, Number> m = new HashMap<>();
        spools().forEach((name, sp) -> m.put(name, f.applyAsDouble(sp)));
        return m;
    }

    /** Every spool opened, whether or not a sink reads it yet. */
    private Map<String, Number> byOpenSpool(ToLongFunction<Spool> f) {
        Map<String, Number> m = new HashMap<>();
        spools.all().forEach(sp -> m.put(sp.dir().getFileName().toString(), f.applyAsLong(sp)));
        return m;
    }

    private Map<String, Number> byOpenSpoolDouble(java.util.function.ToDoubleFunction<Spool> f) {
        Map<String, Number> m = new HashMap<>();
        spools.all().forEach(sp -> m.put(sp.dir().getFileName().toString(), f.applyAsDouble(sp)));
        return m;
    }

    private Map<String, Number> oldestAgeBySpool() {
        Map<String, Number> m = new HashMap<>();
        for (SinkStats s : sinks.values()) {
            String spool = s.spool().dir().getFileName().toString();
            m.merge(spool, s.oldestAgeSeconds(), (a, b) -> Math.max(a.doubleValue(), b.doubleValue()));
        }
        return m;
    }

    private Map<String, Number> byDaemon(ToLongFunction<DaemonEvents> f) {
        Map<String, Number> m = new HashMap<>();
        for (DockerDaemon d : daemons.daemons()) {
            DaemonEvents e = daemons.eventsIfStarted(d);
            if (e != null) {
                m.put(d.endpointText(), f.applyAsLong(e));
            }
        }
        return m;
    }

    private Map<String, Number> byDaemonDouble(java.util.function.ToDoubleFunction<DaemonEvents> f) {
        Map<String, Number> m = new HashMap<>();
        for (DockerDaemon d : daemons.daemons()) {
            DaemonEvents e = daemons.eventsIfStarted(d);
            if (e != null) {
                m.put(d.endpointText(), f.applyAsDouble(e));
            }
        }
        return m;
    }

    private double secondsSinceLastEvent(DaemonEvents e) {
        long last = e.lastEventAtMillis();
        return (System.currentTimeMillis() - (last > 0 ? last : startedMillis)) / 1000.0;
    }

    private long daemonsConnected() {
        return byDaemon(e -> e.isConnected() ? 1 : 0).values().stream().mapToLong(Number::longValue).sum();
    }

    private Map<String, Number> followedByDaemon() {
        Map<String, Collection<String>> f = followed.get();
        Map<String, Number> m = new HashMap<>();
        for (DockerDaemon d : daemons.daemons()) {
            Collection<String> ids = f.get(d.key());
            m.put(d.endpointText(), ids == null ? 0 : ids.size());
        }
        return m;
    }

    // ---- health -------------------------------------------------------------------------------

    /** Live: the process answers. Ready: every route has started. Health: also no daemon or sink down too long. */
    public enum Check { LIVE, READY, HEALTH }

    /** {@code {"status":"UP"|"DOWN","checks":[{"name","status","reason"}...]}}. */
    public ObjectNode health(Check check) {
        ObjectNode root = Json.NODES.objectNode();
        ArrayNode checks = Json.NODES.arrayNode();
        boolean up = true;
        if (check != Check.LIVE) {
            boolean running = phase == Phase.RUNNING;
            up &= addCheck(checks, "routes", running, running ? "all routes started" : "collector is " + phase.name().toLowerCase());
        }
        if (check == Check.HEALTH) {
            Settings s = settings;
            Duration daemonLimit = s.duration(Settings.HEALTH_DAEMON_DOWN_AFTER);
            for (DockerDaemon d : daemons.daemons()) {
                if (daemons.eventsIfStarted(d) == null) {
                    continue; // nothing follows this daemon
                }
                DaemonStatus st = d.status();
                long down = unreachableMillis(st);
                // a silent link (its probe gets no answer at all) is DOWN at once: unlike a
                // daemon restarting, it does not heal by itself within the limit
                boolean ok = !st.silent() && down <= daemonLimit.toMillis();
                String reason = st.connected() ? "connected"
                        : st.lastError() == null ? "connecting"
                        : st.silent() ? "silent for " + silentMillis(st) / 1000 + " s (dead link; its streams reconnect"
                                + " from their checkpoints once it answers): " + st.lastError()
                        : "unreachable for " + down / 1000 + " s (limit " + daemonLimit.toSeconds() + " s): " + st.lastError();
                up &= addCheck(checks, "daemon " + d.endpointText(), ok, reason);
            }
            for (Spool sp : spools.all()) {
                long since = sp.writeFailingSinceMillis();
                up &= addCheck(checks, "spool " + sp.dir().getFileName(), since == 0, since == 0 ? "writing"
                        : "cannot write for " + (System.currentTimeMillis() - since) / 1000 + " s, sources paused: "
                                + sp.writeError());
            }
            Duration sinkLimit = s.duration(Settings.HEALTH_SINK_DOWN_AFTER);
            for (SinkStats sink : sinks.values()) {
                long failing = sink.failingForMillis();
                boolean ok = failing <= sinkLimit.toMillis();
                String reason = !sink.isFailing() ? "delivering"
                        : "failing for " + failing / 1000 + " s (limit " + sinkLimit.toSeconds() + " s): " + sink.lastError();
                up &= addCheck(checks, "sink " + sink.name(), ok, reason);
            }
        }
        root.put("status", up ? "UP" : "DOWN");
        root.set("checks", checks);
        return root;
    }

    private static long silentMillis(DaemonStatus st) {
        return Math.max(0, System.currentTimeMillis() - st.silentSince().toEpochMilli());
    }

    private static long unreachableMillis(DaemonStatus st) {
        return st.connected() ? 0 : Math.max(0, System.currentTimeMillis() - st.since().toEpochMilli());
    }

    private static boolean addCheck(ArrayNode checks, String name, boolean up, String reason) {
        ObjectNode c = checks.addObject();
        c.put("name", name);
        c.put("status", up ? "UP" : "DOWN");
        c.put("reason", reason);
        return up;
    }

    // ---- status page --------------------------------------------------------------------------

    /** Everything the status page shows, as one JSON document. */
    public ObjectNode status() {
        ObjectNode root = Json.NODES.objectNode();
        long now = System.currentTimeMillis();
        root.put("uptime_seconds", (now - startedMillis) / 1000);
        root.put("health", health(Check.HEALTH).path("status").asText());

        Map<String, Collection<String>> followedNow = followed.get();
        Map<String, String> logsRead = this.logsRead.get(); // daemon key/container id → file or api
        ArrayNode daemonList = root.putArray("daemons");
        for (DockerDaemon d : daemons.daemons()) {
            ObjectNode o = daemonList.addObject();
            o.put("endpoint", d.endpointText());
            DockerDaemon.Identity id = d.identity();
            o.put("name", id != null ? id.name() : "");
            o.put("engine", id != null ? id.engineVersion() : "");
            o.put("api", id != null ? String.valueOf(id.apiVersion()) : "");
            DaemonEvents e = daemons.eventsIfStarted(d);
            DaemonStatus st = d.status();
            o.put("state", e == null ? "idle" : st.connected() ? "connected" : "unreachable");
            if (e != null && !st.connected()) {
                o.put("unreachable_seconds", unreachableMillis(st) / 1000);
                o.put("error", st.lastError() == null ? "connecting" : st.lastError());
            }
            if (e != null && e.lastEventAtMillis() > 0) {
                o.put("seconds_since_last_event", Math.round(secondsSinceLastEvent(e)));
            }
            Collection<String> ids = followedNow.get(d.key());
            o.put("containers_followed", ids == null ? 0 : ids.size());
            ObjectNode read = o.putObject("logs_read");
            for (String path : LOG_READ_PATHS) {
                read.put(path, logsRead.entrySet().stream()
                        .filter(en -> en.getKey().startsWith(d.key() + "/") && en.getValue().equals(path)).count());
            }
        }

        ArrayNode conts = root.putArray("containers");
        List<ContainerRate> rates = new ArrayList<>(containers.values());
        rates.sort((a, b) -> Double.compare(b.perSecond, a.perSecond));
        for (ContainerRate c : rates) {
            DockerDaemon d = daemons.daemon(c.daemonKey);
            ContainerMetadata m = d == null ? null : metadata.peek(d, c.id);
            ObjectNode o = conts.addObject();
            o.put("id", c.id.length() > 12 ? c.id.substring(0, 12) : c.id);
            o.put("name", m != null ? m.name() : "");
            o.put("image", m != null ? m.image() : "");
            o.put("daemon", d != null ? d.endpointText() : c.daemonKey);
            o.put("lines_per_second", Math.round(c.perSecond * 10) / 10.0);
            o.put("lines_total", c.lines.sum());
            Collection<String> ids = followedNow.get(c.daemonKey);
            o.put("followed", ids != null && ids.contains(c.id));
            o.put("logs_read", logsRead.getOrDefault(c.daemonKey + "/" + c.id, ""));
        }

        ArrayNode sinkArr = root.putArray("sinks");
        for (SinkStats s : sinks.values()) {
            ObjectNode o = sinkArr.addObject();
            o.put("name", s.name());
            o.put("state", s.isFailing() ? "failing" : "delivering");
            o.put("records_out", sinkRecordsOut.get(s.name()));
            o.put("records_failed", sinkRecordsFailed.get(s.name()));
            o.put("records_retried", sinkRecordsRetried.get(s.name()));
            o.put("lag_bytes", s.lagBytes());
            o.put("oldest_age_seconds", Math.round(s.oldestAgeSeconds()));
            if (s.isFailing()) {
                o.put("failing_seconds", s.failingForMillis() / 1000);
                o.put("error", s.lastError());
            }
        }

        ArrayNode sources = root.putArray("sources");
        for (String name : sourceRecords.samples().keySet()) {
            ObjectNode o = sources.addObject();
            o.put("name", name);
            o.put("records", sourceRecords.get(name));
            o.put("bytes", sourceBytes.get(name));
        }

        ArrayNode driftArr = root.putArray("drift");
        synchronized (drifts) {
            drifts.forEach(driftArr::add);
        }
        ArrayNode rate = root.putArray("records_per_second");
        for (double v : recordsPerSecond()) {
            rate.add(v);
        }
        return root;
    }

    @Override
    public void close() {
        phase = Phase.STOPPING;
        sampler.shutdownNow();
    }
}
