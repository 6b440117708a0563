package io.dockwatch.source.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.DockwatchServices;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.enrich.ContainerMetadata;
import io.dockwatch.record.Fields;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per daemon, one worker inspects containers off the event thread: all of them when the stream
 * first connects, the changed ones after a reconnect (the daemon may have restarted and lost its
 * event buffer), and each one a {@code create} or {@code update} event names.
 */
final class ConfigConsumer extends DockerSourceConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigConsumer.class);
    private static final Set<String> CONFIG_ACTIONS = Set.of("create", "update");

    private sealed interface Task permits Resync, Inspect, Stop {
    }

    private record Resync(boolean emitUnchanged) implements Task {
    }

    private record Inspect(String id, Instant when) implements Task {
    }

    private record Stop() implements Task {
    }

    private final List<Worker> workers = new ArrayList<>();
    private Predicate<String> envAllowed;
    private byte[] secretKey;

    ConfigConsumer(SourceEndpoint endpoint, Processor processor, DockwatchServices services) {
        super(endpoint, processor, services);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        envAllowed = ConfigSnapshot.allowList(services.settings().list(Settings.CONFIG_ENV_ALLOW));
        secretKey = loadOrCreateSecret(services.settings().path(Settings.STATE_DIR).resolve("config-hmac.key"));
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

    private final class Worker implements DaemonEvents.Listener {
        final DockerDaemon daemon;
        final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
        final Thread thread;
        final Map<String, String> lastHashById = new ConcurrentHashMap<>();
        final Map<String, JsonNode> driftState = new ConcurrentHashMap<>();

        Worker(DockerDaemon daemon) {
            this.daemon = daemon;
            this.thread = new Thread(this::run, "dockwatch-config-" + daemon.key());
            this.thread.setDaemon(true);
        }

        @Override
        public void onConnected(boolean reconnect) {
            queue.add(new Resync(!reconnect));
        }

        @Override
        public void onEvent(JsonNode ev, JsonNode position) {
            if ("container".equals(ev.path("Type").asText()) && CONFIG_ACTIONS.contains(ev.path("Action").asText())) {
                queue.add(new Inspect(ev.path("Actor").path("ID").asText(), Record.fromNanos(DaemonEvents.timeNano(ev))));
            }
        }

        private void run() {
            while (true) {
                Task task;
                try {
                    task = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    if (task instanceof Stop) {
                        return;
                    } else if (task instanceof Resync r) {
                        resync(r.emitUnchanged());
                    } else if (task instanceof Inspect i) {
                        JsonNode inspect = daemon.get("/containers/" + i.id() + "/json");
                        record(inspect, i.when(), true);
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
            List<JsonNode> containers = new ArrayList<>();
            list.forEach(containers::add);
            // oldest first, so drift compares a workload's containers in the order they were made
            containers.sort((a, b) -> Long.compare(a.path("Created").asLong(), b.path("Created").asLong()));
            for (JsonNode c : containers) {
                try {
                    JsonNode inspect = daemon.get("/containers/" + c.path("Id").asText() + "/json");
                    record(inspect, Instant.parse(inspect.path("Created").asText()), emitUnchanged);
                } catch (DockerApiException e) {
                    if (!e.isNotFound()) {
                        throw e;
                    }
                }
            }
        }

        private void record(JsonNode inspect, Instant when, boolean emitUnchanged) {
            ContainerMetadata meta = ContainerMetadata.fromInspect(inspect);
            services.metadata().put(daemon, meta);
            ConfigSnapshot snap = ConfigSnapshot.of(inspect, envAllowed, secretKey);
            String previousHash = lastHashById.put(meta.id(), snap.hash());
            if (!emitUnchanged && snap.hash().equals(previousHash)) {
                return;
            }
            Record config = Record.of(Kind.CONFIG, when);
            base(config, meta);
            config.put(Fields.CONFIG, snap.shown());

            List<Record> records = new ArrayList<>(2);
            records.add(config);
            String driftKey = "drift/" + daemon.key() + "/" + meta.workload();
            JsonNode previous = driftState.computeIfAbsent(driftKey, k -> {
                JsonNode p = services.checkpoints().get(k);
                return p == null ? io.dockwatch.record.Json.NODES.nullNode() : p;
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
