package io.dockwatch.source.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.dockwatch.source.SourceServices;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.enrich.ContainerMetadata;
import io.dockwatch.record.Json;
import io.dockwatch.record.Record;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.ContainerFilter;
import io.dockwatch.source.DockerSourceConsumer;
import io.dockwatch.source.SourceEndpoint;
import io.dockwatch.source.logs.file.FileReadLoop;
import io.dockwatch.source.logs.file.JsonFileLog;
import io.dockwatch.source.logs.file.LogFiles;
import io.dockwatch.spool.Checkpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the stdout and stderr of every accepted container of every daemon.
 *
 * <pre>
 *  event / connect                      action
 *  ─────────────────────────────────    ──────────────────────────────────────────────────────
 *  first connect                        follow running containers (checkpoint, else backlog);
 *                                       finish stopped ones that have a checkpoint
 *  reconnect (daemon restarted)         the same, from the checkpoints: nothing lost meanwhile
 *  container start                      follow it from its checkpoint, else from its first line
 *  container die                        read once more to the end (a short-lived container may
 *                                       have printed and exited before the follower attached)
 *  container destroy                    stop, forget its checkpoint
 *  a follower's stream broke            follow it again from its checkpoint, after a backoff
 *  (or one of its steps threw)          (0.5 s doubling to 30 s while it makes no progress)
 *  its inspect failed (not "gone")      the same: a start is never dropped for a daemon hiccup
 *  every reconcile interval (≤ 1 min)   list the containers again: follow a running one that is
 *                                       not followed (Docker drops events for a slow reader, a
 *                                       loaded host's start events among them), finish one that
 *                                       stopped, forget one that is gone
 * </pre>
 *
 * A follower's short steps (inspect, open the stream, after its end) run on a small pool of
 * {@value #STEP_THREADS} threads, so a thousand containers starting at once queue their inspects
 * instead of each taking a thread; the streams themselves are read by one {@link LogReadLoop} or
 * {@link FileReadLoop} per core (TLS streams: a thread each), so a running container that prints
 * nothing holds no thread.
 */
final class LogsConsumer extends DockerSourceConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(LogsConsumer.class);
    private static final long FIRST_RETRY_DELAY_MS = 500;
    private static final long MAX_RETRY_DELAY_MS = 30_000;
    /** Output this far behind (bytes some working sink has still to deliver) slows flooding streams down. */
    static final long BEHIND_BYTES = 4L * 1024 * 1024;
    /** A flooding stream's pause at {@link #BEHIND_BYTES}, growing with the square of the lag up to the max. */
    private static final long FLOOD_PAUSE_NANOS = 20_000_000L;
    private static final long MAX_FLOOD_PAUSE_NANOS = 500_000_000L;
    private static final long LAG_SAMPLE_NANOS = 100_000_000L;
    /**
     * Largest compiled label pattern (RE2/J instructions). Matching costs the line's length times
     * the pattern's size: {@code (.*){1,1000}b} compiles to 5,002 and takes half a millisecond
     * per character; the usual start patterns ({@code ^\S}, a timestamp, a level) take under 30.
     */
    static final int MAX_LABEL_PATTERN_SIZE = 200;
    /** Threads for followers' steps: each step is a request or two to the daemon, which serves them in parallel anyway. */
    static final int STEP_THREADS = 8;
    /** The re-scan for missed start events runs at least this often, whatever the reconcile interval. */
    static final long MAX_RESCAN_MS = 60_000;

    private final List<Manager> managers = new java.util.concurrent.CopyOnWriteArrayList<>(); // read by the metrics sampler
    /** Followers' steps ({@link #submit}); never rejects while running (the queue holds a few steps per container). */
    private java.util.concurrent.ThreadPoolExecutor readers;
    /** Read loops, as many as cores (at most 4): a stream stays with the loop it was given. */
    private LogReadLoop[] readLoops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private ScheduledExecutorService ticker;
    /** Per container: its json-file log files or the API (source/logs/file); files are polled by one loop. */
    private LogFiles logFiles;
    private FileReadLoop[] fileReadLoops;
    private ContainerFilter filter;
    private Pattern multilineStart;
    private long multilineTimeoutNanos;
    private int backlog;
    private final long firstStartEpochSecond = Instant.now().getEpochSecond();
    /** The sinks' lag, sampled by the ticker (reading it costs a stat per spool segment). */
    private volatile long deliveryLagBytes;
    private long lagSampledAt;

    LogsConsumer(SourceEndpoint endpoint, Processor processor, SourceServices services) {
        super(endpoint, processor, services);
    }

    static String checkpointKey(DockerDaemon daemon, String containerId) {
        return "logs/" + daemon.key() + "/" + containerId;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Settings s = services.settings();
        filter = ContainerFilter.from(s);
        multilineStart = s.pattern(Settings.LOGS_MULTILINE_START);
        multilineTimeoutNanos = s.duration(Settings.LOGS_MULTILINE_TIMEOUT).toNanos();
        backlog = s.logsBacklog();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "dockwatch-logs-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        readers = new java.util.concurrent.ThreadPoolExecutor(STEP_THREADS, STEP_THREADS, 30, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), tf);
        readers.allowCoreThreadTimeOut(true); // a quiet host keeps no step thread
        readLoops = new LogReadLoop[Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()))];
        for (int i = 0; i < readLoops.length; i++) {
            readLoops[i] = new LogReadLoop("dockwatch-logs-read-" + (i + 1), this::floodPauseNanos);
        }
        logFiles = services.logFiles();
        fileReadLoops = new FileReadLoop[readLoops.length];
        for (int i = 0; i < fileReadLoops.length; i++) {
            fileReadLoops[i] = new FileReadLoop("dockwatch-logs-files-" + (i + 1), this::floodPauseNanos);
        }
        ticker = Executors.newSingleThreadScheduledExecutor(tf);
        ticker.scheduleWithFixedDelay(this::flushIdle, 10, 10, TimeUnit.MILLISECONDS);
        long rescanMs = Math.min(MAX_RESCAN_MS, (s.isSet(Settings.CONTAINERS_RECONCILE_INTERVAL)
                ? s.duration(Settings.CONTAINERS_RECONCILE_INTERVAL) : java.time.Duration.ofMinutes(5)).toMillis());
        ticker.scheduleWithFixedDelay(this::rescan, rescanMs, rescanMs, TimeUnit.MILLISECONDS);
        services.observe().followedContainers(this::followed);
        for (DockerDaemon daemon : services.daemons()) {
            Manager m = new Manager(daemon);
            managers.add(m);
            DaemonEvents events = services.events(daemon);
            events.addListener(m);
            startEventsWhenReady(events);
        }
    }

    @Override
    protected void doStop() throws Exception {
        for (Manager m : managers) {
            services.events(m.daemon).removeListener(m);
            m.followers.values().forEach(LogFollower::stop);
        }
        ticker.shutdownNow();
        for (LogReadLoop loop : readLoops) {
            loop.close();
        }
        for (FileReadLoop loop : fileReadLoops) {
            loop.close();
        }
        readers.shutdown();
        if (!readers.awaitTermination(3, TimeUnit.SECONDS)) {
            readers.shutdownNow();
        }
        managers.clear();
        super.doStop();
    }

    /**
     * The start pattern for a container: its label's, else the setting's. A label is untrusted
     * input, and so is every line a pattern runs on: RE2/J matches in time linear in the line
     * (no backtracking), so {@code (a|a)*b} costs what {@code a*b} does and cannot hold up the
     * read loop that other containers share.
     */
    Pattern multilineStart(String labelOverride) {
        if (labelOverride != null && !labelOverride.isEmpty()) {
            try {
                Pattern p = Pattern.compile(labelOverride);
                if (p.programSize() <= MAX_LABEL_PATTERN_SIZE) {
                    return p;
                }
                LOG.warn("Ignoring label dockwatch.multiline.start={}: compiles to {} RE2 instructions, at most {} allowed",
                        labelOverride, p.programSize(), MAX_LABEL_PATTERN_SIZE);
            } catch (PatternSyntaxException e) {
                LOG.warn("Ignoring label dockwatch.multiline.start={}: {}", labelOverride, e.getDescription());
            } catch (StackOverflowError e) {
                // RE2/J compiles recursively: a huge repetition overflows a reader thread's 512k stack
                LOG.warn("Ignoring label dockwatch.multiline.start={}: too large to compile", labelOverride);
            }
        }
        return multilineStart;
    }

    /** The read loop for a stream being opened: in turn, so busy containers spread over the cores. */
    LogReadLoop readLoop() {
        return readLoops[Math.floorMod(nextLoop.getAndIncrement(), readLoops.length)];
    }

    /**
     * Runs a follower's next step on a step thread (never on a read loop's). A step that throws
     * what its own handling did not expect (a bug, a StackOverflowError) is logged with its stack
     * and ends the follower as failed, so it is followed again from its checkpoint after the
     * usual backoff: never a container silently left unread.
     */
    void submit(LogFollower follower, Runnable step) {
        execute(() -> {
            try {
                step.run();
            } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
                if (isRunAllowed()) {
                    LOG.error("Log follower of {} failed unexpectedly; following it again from its checkpoint",
                            follower.containerId(), e);
                    follower.failedUnexpectedly(e);
                }
            }
        });
    }

    /** A step with no follower yet (listing, a retried start): logged and left to the next re-scan if it throws. */
    private void execute(Runnable step) {
        if (!isRunAllowed()) {
            return; // stopping: what is left to do no longer matters
        }
        try {
            readers.execute(() -> {
                try {
                    step.run();
                } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
                    if (isRunAllowed()) {
                        LOG.error("Log following step failed unexpectedly; the next re-scan tries again", e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopped meanwhile
        }
    }

    /** Runs a TLS stream's blocking reads on a thread of its own, for as long as the stream lasts. */
    void startBlockingReader(LogFollower follower, Runnable reads) {
        Thread t = new Thread(() -> {
            try {
                reads.run();
            } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
                if (isRunAllowed()) {
                    LOG.error("Log stream reader of {} failed unexpectedly; following it again from its checkpoint",
                            follower.containerId(), e);
                    follower.failedUnexpectedly(e);
                }
            }
        }, "dockwatch-logs-tls-" + follower.containerId().substring(0, Math.min(12, follower.containerId().length())));
        t.setDaemon(true);
        t.start();
    }

    io.dockwatch.context.ContainerContexts contexts() {
        return services.contexts();
    }

    long multilineTimeoutNanos() {
        return multilineTimeoutNanos;
    }

    LogFiles logFiles() {
        return logFiles;
    }

    /** A file read loop for a log being opened: in turn, as {@link #readLoop()}. */
    FileReadLoop fileReadLoop() {
        return fileReadLoops[Math.floorMod(nextLoop.getAndIncrement(), fileReadLoops.length)];
    }

    /** {@link #backlogQuery()} for the file path. */
    JsonFileLog.Start backlogStart() {
        if (backlog < 0) {
            return JsonFileLog.Start.all();
        }
        return backlog == 0 ? JsonFileLog.Start.since(firstStartEpochSecond) : JsonFileLog.Start.tail(backlog);
    }

    /** Query for a container first seen already running, with no checkpoint. */
    String backlogQuery() {
        if (backlog < 0) {
            return "";
        }
        if (backlog == 0) {
            return "&since=" + firstStartEpochSecond;
        }
        return "&tail=" + backlog;
    }

    boolean emitLines(DockerDaemon daemon, List<Record> records, String key, LogPosition position) {
        List<Checkpoint> cp = position == null ? List.of() : List.of(new Checkpoint(key, position.toJson()));
        services.observe().logLines(daemon, key.substring(key.lastIndexOf('/') + 1), records.size());
        return emit(daemon, records, cp);
    }

    /** Daemon key → ids of the containers followed now (metrics, status page). */
    private Map<String, java.util.Collection<String>> followed() {
        Map<String, java.util.Collection<String>> m = new java.util.HashMap<>();
        for (Manager mgr : managers) {
            m.put(mgr.daemon.key(), List.copyOf(mgr.followers.keySet()));
        }
        return m;
    }

    void finished(LogFollower follower) {
        for (Manager m : managers) {
            m.finished(follower);
        }
    }

    /**
     * Fairness: the spool is first in, first out for every container, so while the sinks are
     * behind a flooding container's next read waits, longer the further behind they are; a quiet
     * container is read at once and its line queues behind at most about {@link #BEHIND_BYTES}.
     * Docker keeps the flood meanwhile; nothing is dropped.
     */
    long floodPauseNanos() {
        long lag = deliveryLagBytes;
        if (lag <= BEHIND_BYTES) {
            return 0;
        }
        // steeper than the lag (its square): floods settle where the sinks keep up with a small lag,
        // since the lag is what a quiet container's line waits behind
        double behind = (double) lag / BEHIND_BYTES;
        return (long) Math.min(MAX_FLOOD_PAUSE_NANOS, FLOOD_PAUSE_NANOS * behind * behind);
    }

    /** Every reconcile interval (at most a minute): what Docker's dropped events would leave unfollowed. */
    private void rescan() {
        for (Manager m : managers) {
            execute(() -> m.scan(true));
        }
    }

    private void flushIdle() {
        long now = System.nanoTime();
        if (now - lagSampledAt >= LAG_SAMPLE_NANOS) {
            lagSampledAt = now;
            deliveryLagBytes = services.observe().deliveryLagBytes();
        }
        for (Manager m : managers) {
            m.followers.values().forEach(LogFollower::flushIdle);
        }
    }

    private final class Manager implements DaemonEvents.Listener {
        final DockerDaemon daemon;
        final Map<String, LogFollower> followers = new ConcurrentHashMap<>();
        /** Positions of containers whose follower ended, so a restart continues without a repeat. */
        final Map<String, LogPosition> positions = new ConcurrentHashMap<>();
        /** Containers whose follower failed: retries in a row without progress. */
        final Map<String, Integer> failures = new ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicBoolean scanning = new java.util.concurrent.atomic.AtomicBoolean();

        Manager(DockerDaemon daemon) {
            this.daemon = daemon;
        }

        @Override
        public void onConnected(boolean reconnect) {
            execute(() -> scan(false));
        }

        /**
         * Follows what the list shows running, and finishes what stopped with a checkpoint. A
         * container created since the collector first started is read from its first line (its
         * start event was missed, not its lines); one from before, by the backlog policy.
         * {@code rescan}: the periodic safety net, which also tells followers of containers that
         * stopped or are gone, whose die or destroy event may have been dropped.
         */
        void scan(boolean rescan) {
            if (!scanning.compareAndSet(false, true)) {
                return; // the one under way covers it (a first listing of a thousand containers takes a while)
            }
            int missed = 0;
            try {
                java.util.Set<String> followedBefore = java.util.Set.copyOf(followers.keySet());
                JsonNode list = daemon.get("/containers/json?all=1");
                java.util.Set<String> listed = new java.util.HashSet<>();
                for (JsonNode c : list) {
                    String id = c.path("Id").asText();
                    listed.add(id);
                    boolean running = "running".equals(c.path("State").asText());
                    LogFollower existing = followers.get(id);
                    if (existing != null) {
                        if (rescan && !running) {
                            existing.readAgain(); // its die may have been dropped: it looks whether it still runs
                        }
                        continue;
                    }
                    LogFollower.Start start = c.path("Created").asLong(0) >= firstStartEpochSecond
                            ? LogFollower.Start.FROM_BEGINNING : LogFollower.Start.BACKLOG;
                    if (running) {
                        if (ensure(id, start) && rescan) {
                            missed++;
                        }
                    } else if (!rescan && positionOf(id) != null) {
                        ensure(id, start); // may have printed more while we were away
                    }
                }
                if (rescan) {
                    for (String id : followedBefore) { // one followed since the listing may be too new for it
                        if (!listed.contains(id)) {
                            forget(id); // removed, its destroy event dropped
                        }
                    }
                }
            } catch (DockerApiException e) {
                if (isRunAllowed()) { // a stop cancels requests in flight: nothing to report then
                    LOG.warn("Listing containers on {} failed: {}", daemon.endpoint().uri(), e.getMessage());
                }
            } finally {
                scanning.set(false);
            }
            if (missed > 0) {
                LOG.info("Following {} running container(s) on {} whose start event was missed (Docker drops events for a slow reader)",
                        missed, daemon);
            }
        }

        @Override
        public void onEvent(JsonNode ev, JsonNode position) {
            if (!"container".equals(ev.path("Type").asText())) {
                return;
            }
            String id = ev.path("Actor").path("ID").asText();
            switch (ev.path("Action").asText()) {
                case "start", "die" -> ensure(id, LogFollower.Start.FROM_BEGINNING);
                case "destroy" -> forget(id);
                default -> {
                    // other actions do not change what there is to read
                }
            }
        }

        private LogPosition positionOf(String id) {
            LogPosition p = positions.get(id);
            return p != null ? p : LogPosition.fromJson(services.checkpoints().get(checkpointKey(daemon, id)));
        }

        /** Follows the container unless it is already; true when a new follower started. */
        private synchronized boolean ensure(String id, LogFollower.Start start) {
            if (!isRunAllowed()) {
                return false;
            }
            LogFollower existing = followers.get(id);
            if (existing != null) {
                existing.readAgain();
                return false;
            }
            ContainerMetadata meta = services.metadata().get(daemon, id);
            if (meta == null) {
                retryIfNotGone(id, start);
                return false;
            }
            if (!filter.accepts(meta)) {
                return false;
            }
            LogFollower f = new LogFollower(LogsConsumer.this, daemon, id, positionOf(id), start);
            followers.put(id, f);
            submit(f, f);
            return true;
        }

        /**
         * The container could not be inspected: gone (nothing to follow), or the daemon did not
         * answer in time (a loaded host): then later, with the failed followers' backoff, so
         * that no container is left unread for a hiccup.
         */
        private void retryIfNotGone(String id, LogFollower.Start start) {
            try {
                daemon.get("/containers/" + id + "/json");
            } catch (DockerApiException e) {
                if (e.isNotFound()) {
                    return;
                }
            }
            int inARow = failures.merge(id, 1, Integer::sum) - 1;
            long delayMs = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS << Math.min(inARow, 10));
            LOG.debug("Inspecting {} on {} failed; trying again in {} ms", id, daemon, delayMs);
            ticker.schedule(() -> execute(() -> ensure(id, start)), delayMs, TimeUnit.MILLISECONDS);
        }

        synchronized void finished(LogFollower f) {
            String id = f.containerId();
            if (!followers.remove(id, f)) {
                return; // another daemon's follower
            }
            if (f.removed()) {
                forgetPosition(id); // read to the end of its file: now its checkpoint can go
                return;
            }
            if (f.position() != null) {
                positions.put(id, f.position());
            }
            if (!f.failed()) {
                failures.remove(id);
            } else if (isRunAllowed()) {
                int inARow = f.madeProgress() ? 0 : failures.merge(id, 1, Integer::sum) - 1;
                long delayMs = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS << Math.min(inARow, 10));
                // ensure() may inspect the container: on a reader thread, not the batch ticker
                ticker.schedule(() -> execute(() -> ensure(id, LogFollower.Start.BACKLOG)), delayMs,
                        TimeUnit.MILLISECONDS);
            }
        }

        private synchronized void forget(String id) {
            LogFollower f = followers.get(id);
            if (f != null && f.removedWhileReadingFile()) {
                return; // finished() forgets it once the open file is read to its end
            }
            followers.remove(id);
            if (f != null) {
                f.stop();
            }
            forgetPosition(id);
        }

        private void forgetPosition(String id) {
            logFiles.forget(daemon, id);
            positions.remove(id);
            failures.remove(id);
            if (services.checkpoints().get(checkpointKey(daemon, id)) != null) {
                emit(daemon, null, List.of(new Checkpoint(checkpointKey(daemon, id), Json.NODES.nullNode())));
            }
        }
    }
}
