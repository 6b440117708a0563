package io.dockwatch.source.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.source.SourceServices;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.enrich.ContainerMetadata;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Json;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import io.dockwatch.settings.Settings;
import io.dockwatch.spool.StateFiles;
import io.dockwatch.source.DockerSourceConsumer;
import io.dockwatch.source.SourceEndpoint;
import io.dockwatch.spool.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per daemon, one worker inspects containers off the event thread: all of them when the stream
 * first connects, the changed ones after a reconnect (the daemon may have restarted and lost its
 * event buffer), and each one a {@code create} or {@code update} event names.
 *
 * <p>What it keeps is bounded by what exists: the last configuration hash of each container
 * until its {@code destroy}, and the drift state of each workload (its last configuration, a
 * checkpoint {@code drift/<daemon>/<workload>}) while it has a container and, once its last one is
 * destroyed, for {@code dockwatch.drift.retention} (so a workload recreated later is still
 * compared), among the {@value #MAX_GONE_WORKLOADS} most recently gone workloads. A full listing
 * (first connect, reconnect, and every {@code dockwatch.containers.reconcile.interval}, since
 * Docker drops events for slow readers) also drops what belongs to containers removed unseen:
 * their metadata, contexts and per-container checkpoints.
 */
final class ConfigConsumer extends DockerSourceConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigConsumer.class);
    private static final Set<String> CONFIG_ACTIONS = Set.of("create", "update");
    /** Workloads without a container whose drift state is kept at most (about a kilobyte each). */
    static final int MAX_GONE_WORKLOADS = 256;
    static final Duration DEFAULT_DRIFT_RETENTION = Duration.ofDays(7);
    static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofMinutes(5);
    /** Checkpoint prefixes of per-container sources, {@code <prefix>/<daemon>/<container id>}. */
    private static final List<String> PER_CONTAINER_CHECKPOINTS = List.of("logs", "logfiles");
    /** In a workload's drift state: since when it has no container (epoch milliseconds). */
    static final String GONE_SINCE = "gone_since_ms";

    private sealed interface Task permits Resync, Inspect, Destroyed, Stop {
    }

    private record Resync(boolean emitUnchanged) implements Task {
    }

    private record Inspect(String id, Instant when) implements Task {
    }

    private record Destroyed(String id) implements Task {
    }

    private record Stop() implements Task {
    }

    private final List<Worker> workers = new ArrayList<>();
    private Predicate<String> envAllowed;
    private byte[] secretKey;
    private Duration driftRetention;
    private Duration reconcileEvery;
    /**
     * Set first thing at stop: a worker in the middle of a listing (an inspect and a record per
     * container) ends it and emits nothing more, since Camel refuses records into a stopping
     * route with a RejectedExecutionException each (a burst of them in the log at every stop).
     * What is not recorded now is recorded by the next start's listing.
     */
    private volatile boolean stopping;

    ConfigConsumer(SourceEndpoint endpoint, Processor processor, SourceServices services) {
        super(endpoint, processor, services);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        stopping = false;
        envAllowed = ConfigSnapshot.allowList(services.settings().list(Settings.CONFIG_ENV_ALLOW));
        secretKey = loadOrCreateSecret(services.settings().path(Settings.STATE_DIR).resolve("config-hmac.key"));
        driftRetention = services.settings().isSet(Settings.DRIFT_RETENTION)
                ? services.settings().duration(Settings.DRIFT_RETENTION) : DEFAULT_DRIFT_RETENTION;
        reconcileEvery = services.settings().isSet(Settings.CONTAINERS_RECONCILE_INTERVAL)
                ? services.settings().duration(Settings.CONTAINERS_RECONCILE_INTERVAL) : DEFAULT_RECONCILE_INTERVAL;
        for (DockerDaemon daemon : services.daemons()) {
            Worker w = new Worker(daemon);
            workers.add(w);
            DaemonEvents events = services.events(daemon);
            events.addListener(w);
            w.thread.start();
            services.contexts().configRecorded(daemon.key(), true);
            startEventsWhenReady(events);
        }
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        for (Worker w : workers) {
            services.contexts().configRecorded(w.daemon.key(), false);
            services.events(w.daemon).removeListener(w);
            w.queue.clear();
            w.queue.add(new Stop());
        }
        for (Worker w : workers) {
            w.thread.join(3000);
        }
        workers.clear();
        super.doStop();
    }

    @Override
    protected boolean emit(DockerDaemon daemon, Object body, List<Checkpoint> checkpoints) {
        return !stopping && super.emit(daemon, body, checkpoints);
    }

    /** Keyed hashes of env values must stay comparable across restarts: the key lives in the state dir. */
    private byte[] loadOrCreateSecret(Path file) throws IOException {
        if (Files.exists(file)) {
            byte[] key = Files.readAllBytes(file);
            if (key.length == SECRET_BYTES) {
                return key;
            }
            // empty after a power loss, or cut: an HMAC cannot start from it; a new key only makes
            // each container's next config record look changed once
            services.checkpoints().recovery().recovered(file, key.length + " bytes instead of " + SECRET_BYTES,
                    "made a new key (config hashes change once)");
        }
        Files.createDirectories(file.getParent());
        byte[] key = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(key);
        StateFiles.writeAtomically(file, key);
        return key;
    }

    private static final int SECRET_BYTES = 32;

    /** What is known of a live container: its last configuration hash and its workload's drift key. */
    private record Known(String hash, String driftKey) {
    }

    private final class Worker implements DaemonEvents.Listener {
        final DockerDaemon daemon;
        final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
        final Thread thread;
        /** Live containers by ID; only the worker thread touches these maps. */
        final Map<String, Known> known = new HashMap<>();
        /** Drift state by drift key, as last emitted (the checkpoint store has it only after the spool's flush). */
        final Map<String, JsonNode> driftState = new HashMap<>();
        /** Drift key → IDs of its live containers. */
        final Map<String, Set<String>> workloadContainers = new HashMap<>();
        /** Drift keys of workloads with no container left, by when they were left, oldest first. */
        final LinkedHashMap<String, Long> gone = new LinkedHashMap<>();
        final String driftPrefix;
        /** When the daemon's containers were last listed; 0 until the first (re)connection. */
        long lastListingNanos;

        Worker(DockerDaemon daemon) {
            this.daemon = daemon;
            this.driftPrefix = "drift/" + daemon.key() + "/";
            this.thread = new Thread(this::run, "dockwatch-config-" + daemon.key());
            this.thread.setDaemon(true);
        }

        @Override
        public void onConnected(boolean reconnect) {
            queue.add(new Resync(!reconnect));
        }

        @Override
        public void onEvent(JsonNode ev, JsonNode position) {
            if (!"container".equals(ev.path("Type").asText())) {
                return;
            }
            String action = ev.path("Action").asText();
            String id = ev.path("Actor").path("ID").asText();
            if (CONFIG_ACTIONS.contains(action)) {
                queue.add(new Inspect(id, Record.fromNanos(DaemonEvents.timeNano(ev))));
            } else if ("destroy".equals(action)) {
                queue.add(new Destroyed(id));
            }
        }

        private void run() {
            long sweepMs = Math.max(1000, Math.min(60_000, Math.min(driftRetention.toMillis(), reconcileEvery.toMillis()) / 10));
            while (true) {
                Task task;
                try {
                    task = queue.poll(sweepMs, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    if (task == null) {
                        expireGoneWorkloads();
                    } else if (task instanceof Stop) {
                        return;
                    } else if (task instanceof Resync r) {
                        resync(r.emitUnchanged());
                    } else if (task instanceof Inspect i) {
                        JsonNode inspect = daemon.get("/containers/" + i.id() + "/json");
                        record(inspect, i.when(), true);
                    } else if (task instanceof Destroyed d) {
                        forget(d.id());
                        expireGoneWorkloads();
                    }
                    if (lastListingNanos != 0 && System.nanoTime() - lastListingNanos >= reconcileEvery.toNanos()) {
                        reconcile();
                    }
                } catch (DockerApiException e) {
                    if (!e.isNotFound()) { // a container removed before we looked has nothing to record
                        LOG.warn("Config from {}: {}", daemon.endpoint().uri(), e.getMessage());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Config from {} failed: {}", daemon.endpoint().uri(), e.toString());
                }
            }
        }

        private void resync(boolean emitUnchanged) throws DockerApiException {
            JsonNode list = daemon.get("/containers/json?all=1");
            lastListingNanos = System.nanoTime();
            List<JsonNode> containers = new ArrayList<>();
            list.forEach(containers::add);
            // oldest first, so drift compares a workload's containers in the order they were made
            containers.sort((a, b) -> Long.compare(a.path("Created").asLong(), b.path("Created").asLong()));
            Set<String> existing = new HashSet<>();
            containers.forEach(c -> existing.add(c.path("Id").asText()));
            for (JsonNode c : containers) {
                if (stopping) {
                    return;
                }
                try {
                    JsonNode inspect = daemon.get("/containers/" + c.path("Id").asText() + "/json");
                    record(inspect, Instant.parse(inspect.path("Created").asText()), emitUnchanged);
                } catch (DockerApiException e) {
                    if (!e.isNotFound()) {
                        throw e;
                    }
                }
            }
            forgetRemovedUnseen(existing);
            expireGoneWorkloads();
        }

        /**
         * Docker drops events for a subscriber that is slow for 100 ms (a loaded host): a lost
         * {@code create} would leave a container without its config record, a lost {@code destroy}
         * its state for good. So the list of containers is compared with what is known every
         * {@code dockwatch.containers.reconcile.interval}: one listing, and an inspect only for a
         * container not known yet.
         */
        private void reconcile() throws DockerApiException {
            JsonNode list = daemon.get("/containers/json?all=1");
            lastListingNanos = System.nanoTime();
            Set<String> existing = new HashSet<>();
            List<JsonNode> unknown = new ArrayList<>();
            for (JsonNode c : list) {
                String id = c.path("Id").asText();
                existing.add(id);
                if (!known.containsKey(id)) {
                    unknown.add(c);
                }
            }
            unknown.sort((a, b) -> Long.compare(a.path("Created").asLong(), b.path("Created").asLong()));
            for (JsonNode c : unknown) {
                if (stopping) {
                    return;
                }
                try {
                    JsonNode inspect = daemon.get("/containers/" + c.path("Id").asText() + "/json");
                    record(inspect, Instant.parse(inspect.path("Created").asText()), true);
                } catch (DockerApiException e) {
                    if (!e.isNotFound()) {
                        throw e;
                    }
                }
            }
            forgetRemovedUnseen(existing);
            expireGoneWorkloads();
        }

        /** Containers removed while their destroy was not seen (collector stopped, events link down). */
        private void forgetRemovedUnseen(Set<String> existing) {
            for (String id : List.copyOf(known.keySet())) {
                if (!existing.contains(id)) {
                    forget(id);
                }
            }
            services.metadata().retainOnly(daemon, existing, lastListingNanos);
            services.contexts().retainOnly(daemon.key(), existing, lastListingNanos);
            List<Checkpoint> dropped = new ArrayList<>();
            for (String prefix : PER_CONTAINER_CHECKPOINTS) {
                String p = prefix + "/" + daemon.key() + "/";
                for (String key : services.checkpoints().withPrefix(p).keySet()) {
                    if (!existing.contains(key.substring(p.length()))) {
                        dropped.add(new Checkpoint(key, Json.NODES.nullNode()));
                    }
                }
            }
            // workloads of an earlier run with no container now: gone since their state says, else since now
            long now = System.currentTimeMillis();
            for (Map.Entry<String, JsonNode> e : services.checkpoints().withPrefix(driftPrefix).entrySet()) {
                String driftKey = e.getKey();
                if (!workloadContainers.containsKey(driftKey) && !gone.containsKey(driftKey)) {
                    JsonNode state = driftState.computeIfAbsent(driftKey, k -> e.getValue());
                    long since = state.path(GONE_SINCE).asLong(0);
                    if (since == 0) {
                        since = now;
                        ObjectNode marked = state.deepCopy();
                        marked.put(GONE_SINCE, since);
                        driftState.put(driftKey, marked);
                        dropped.add(new Checkpoint(driftKey, marked));
                    }
                    gone.put(driftKey, since);
                }
            }
            if (!dropped.isEmpty()) {
                emit(daemon, null, dropped);
            }
        }

        /** The container is gone: its hash goes, and its workload's state starts to age once it has no container left. */
        private void forget(String id) {
            Known k = known.remove(id);
            if (k == null) {
                return;
            }
            Set<String> ids = workloadContainers.get(k.driftKey());
            if (ids == null || !ids.remove(id) || !ids.isEmpty()) {
                return;
            }
            workloadContainers.remove(k.driftKey());
            JsonNode state = driftState.get(k.driftKey());
            if (state == null) {
                return;
            }
            long now = System.currentTimeMillis();
            ObjectNode marked = state.deepCopy();
            marked.put(GONE_SINCE, now);
            driftState.put(k.driftKey(), marked);
            gone.remove(k.driftKey());
            gone.put(k.driftKey(), now);
            emit(daemon, null, List.of(new Checkpoint(k.driftKey(), marked)));
        }

        /** Drops gone workloads' drift state past the retention, and the oldest beyond the count. */
        private void expireGoneWorkloads() {
            long now = System.currentTimeMillis();
            List<Checkpoint> dropped = new ArrayList<>();
            var it = gone.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Long> e = it.next();
                if (gone.size() - dropped.size() <= MAX_GONE_WORKLOADS && now - e.getValue() <= driftRetention.toMillis()) {
                    break; // oldest first: the rest are younger
                }
                it.remove();
                driftState.remove(e.getKey());
                dropped.add(new Checkpoint(e.getKey(), Json.NODES.nullNode()));
            }
            if (!dropped.isEmpty()) {
                LOG.debug("Drift state of {} workloads without containers dropped", dropped.size());
                emit(daemon, null, dropped);
            }
        }

        private void record(JsonNode inspect, Instant when, boolean emitUnchanged) {
            ContainerMetadata meta = ContainerMetadata.fromInspect(inspect);
            services.metadata().put(daemon, meta);
            ConfigSnapshot snap = ConfigSnapshot.of(inspect, envAllowed, secretKey);
            String driftKey = driftPrefix + meta.workload();
            Known previousKnown = known.get(meta.id());
            if (previousKnown != null && !previousKnown.driftKey().equals(driftKey)) {
                forget(meta.id()); // renamed into another workload: the old one may be left without containers
            }
            known.put(meta.id(), new Known(snap.hash(), driftKey));
            workloadContainers.computeIfAbsent(driftKey, k -> new HashSet<>()).add(meta.id());
            gone.remove(driftKey);
            String previousHash = previousKnown == null ? null : previousKnown.hash();
            if (!emitUnchanged && snap.hash().equals(previousHash)) {
                return;
            }
            Record config = Record.of(Kind.CONFIG, when);
            base(config, meta);
            config.put(Fields.CONFIG, snap.shown());

            List<Record> records = new ArrayList<>(2);
            records.add(config);
            JsonNode previous = driftState.computeIfAbsent(driftKey, k -> {
                JsonNode p = services.checkpoints().get(k);
                return p == null ? Json.NODES.nullNode() : p;
            });
            if (previous.isNull()) {
                previous = null;
            }
            var changes = DriftDetector.changes(previous, snap);
            if (!changes.isEmpty()) {
                Record drift = Record.of(Kind.DRIFT, when);
                base(drift, meta);
                drift.put(Fields.DRIFT_WORKLOAD, meta.workload());
                drift.put(Fields.DRIFT_CHANGES, changes);
                drift.put(Fields.DRIFT_PREVIOUS_CONTAINER_ID, previous.path("container_id").asText());
                drift.put(Fields.CONFIG_HASH, snap.hash());
                drift.put("drift.previous_hash", previous.path("hash").asText());
                records.add(drift);
            }
            services.contexts().config(daemon.key(), meta.id(), snap.hash(), !changes.isEmpty());
            ObjectNode state = DriftDetector.state(meta.id(), snap);
            driftState.put(driftKey, state);
            emit(daemon, records, List.of(new Checkpoint(driftKey, state)));
        }

        private void base(Record r, ContainerMetadata meta) {
            daemon.stampHost(r);
            meta.applyTo(r);
        }
    }
}
