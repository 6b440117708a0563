package io.dockwatch.source.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.source.SourceServices;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.record.Json;
import io.dockwatch.record.Record;
import io.dockwatch.source.ContainerFilter;
import io.dockwatch.source.DockerSourceConsumer;
import io.dockwatch.source.SourceEndpoint;
import io.dockwatch.spool.Checkpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every service of every manager among the configured daemons.
 *
 * <pre>
 *  event / connect          action
 *  ──────────────────────   ─────────────────────────────────────────────────────────────
 *  (re)connect, start       list services; follow each from its checkpoint (else backlog)
 *  service create           follow it from its first line
 *  service remove           stop following, forget its checkpoint
 * </pre>
 *
 * A daemon that is not a manager answers {@code /services} with 503: said once, then ignored.
 */
final class ServiceLogsConsumer extends DockerSourceConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceLogsConsumer.class);
    private static final int NOT_A_MANAGER = 503;

    private final List<Manager> managers = new ArrayList<>();
    private ExecutorService readers;
    private int backlog;
    private ContainerFilter filter;

    ServiceLogsConsumer(SourceEndpoint endpoint, Processor processor, SourceServices services) {
        super(endpoint, processor, services);
    }

    static String checkpointKey(DockerDaemon daemon, String serviceId) {
        return "service-logs/" + daemon.key() + "/" + serviceId;
    }

    int backlog() {
        return backlog;
    }

    ContainerFilter filter() {
        return filter;
    }

    SourceServices services() {
        return services;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        backlog = services.settings().logsBacklog();
        filter = ContainerFilter.from(services.settings());
        AtomicInteger n = new AtomicInteger();
        readers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dockwatch-service-logs-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (DockerDaemon daemon : services.daemons()) {
            Manager m = new Manager(daemon);
            managers.add(m);
            DaemonEvents events = services.events(daemon);
            events.addListener(m);
            if (events.isConnected()) {
                readers.submit(m::scan); // started after the stream connected (leadership taken later)
            }
            startEventsWhenReady(events);
        }
    }

    @Override
    protected void doStop() throws Exception {
        for (Manager m : managers) {
            services.events(m.daemon).removeListener(m);
            m.followers.values().forEach(ServiceLogFollower::stop);
        }
        if (readers != null) { // null when the route never started (switched off)
            readers.shutdown();
            if (!readers.awaitTermination(3, TimeUnit.SECONDS)) {
                readers.shutdownNow();
            }
        }
        for (Manager m : managers) {
            m.followers.keySet().forEach(id -> services.sharedCheckpoints().stopSharing(checkpointKey(m.daemon, id)));
        }
        managers.clear();
        super.doStop();
    }

    boolean emitLines(DockerDaemon daemon, List<Record> records, String key, JsonNode position) {
        return emit(daemon, records, List.of(new Checkpoint(key, position)));
    }

    void finished(ServiceLogFollower f) {
        for (Manager m : managers) {
            m.followers.remove(f.serviceId(), f);
        }
    }

    private final class Manager implements DaemonEvents.Listener {
        final DockerDaemon daemon;
        final Map<String, ServiceLogFollower> followers = new ConcurrentHashMap<>();
        private volatile boolean toldNotManager;

        Manager(DockerDaemon daemon) {
            this.daemon = daemon;
        }

        @Override
        public void onConnected(boolean reconnect) {
            readers.submit(this::scan);
        }

        void scan() {
            try {
                for (JsonNode s : daemon.get("/services")) {
                    ensure(s.path("ID").asText(), s.path("Spec").path("Name").asText(), false);
                }
                toldNotManager = false;
            } catch (DockerApiException e) {
                if (e.status() == NOT_A_MANAGER) {
                    if (!toldNotManager) {
                        LOG.info("Docker at {} is not a swarm manager: no service logs from it", daemon.endpointText());
                        toldNotManager = true;
                    }
                } else {
                    LOG.warn("Listing services on {} failed: {}", daemon.endpointText(), e.getMessage());
                }
            }
        }

        @Override
        public void onEvent(JsonNode ev, JsonNode position) {
            if (!"service".equals(ev.path("Type").asText())) {
                return;
            }
            String id = ev.path("Actor").path("ID").asText();
            switch (ev.path("Action").asText()) {
                case "create" -> ensure(id, ev.path("Actor").path("Attributes").path("name").asText(), true);
                case "remove" -> forget(id);
                default -> {
                    // an update keeps the service's log stream going
                }
            }
        }

        private synchronized void ensure(String id, String name, boolean fromBeginning) {
            if (!isRunAllowed() || followers.containsKey(id)) {
                return;
            }
            String key = checkpointKey(daemon, id);
            JsonNode local = services.checkpoints().get(key);
            JsonNode shared = services.sharedCheckpoints().read(key);
            TaskPositions positions = TaskPositions.fromJson(local).laterOf(TaskPositions.fromJson(shared));
            services.sharedCheckpoints().share(key);
            ServiceLogFollower f = new ServiceLogFollower(ServiceLogsConsumer.this, daemon, id, name, key, positions,
                    fromBeginning);
            followers.put(id, f);
            readers.submit(f);
        }

        private synchronized void forget(String id) {
            ServiceLogFollower f = followers.remove(id);
            if (f != null) {
                f.stop();
            }
            String key = checkpointKey(daemon, id);
            services.sharedCheckpoints().stopSharing(key);
            if (services.checkpoints().get(key) != null) {
                emit(daemon, null, List.of(new Checkpoint(key, Json.NODES.nullNode())));
            }
        }
    }
}
