package io.dockwatch.source.stats;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.source.SourceServices;
import io.dockwatch.docker.ApiVersion;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.enrich.ContainerMetadata;
import io.dockwatch.record.Fields;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.ContainerFilter;
import io.dockwatch.source.DockerSourceConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.dockwatch.source.SourceEndpoint;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one-shot stats of every running, accepted container.
 *
 * <pre>
 *  ticker (every interval) ──/containers/json──► running ids ──► filter ──► up to N requests in flight
 *                                                                             │ /stats?stream=false&amp;one-shot=true
 *                                                                             ▼ (one selector thread; TLS: a pool)
 *                                                 previous sample ──► StatsRecords ──► route
 * </pre>
 *
 * Why polling and not {@code stream=true}: a stream per container keeps dockerd, containerd and
 * every shim sampling each second for every container; one-shot takes one sample per container
 * per interval and needs no second sample ({@code stream=false} alone waits for two, ~2 s).
 *
 * <p>Why many requests in flight (default 500): measured on Engine 20.10, dockerd answers a
 * one-shot request on the next round of its 1 s stats collector, so each request waits up to a
 * second while costing nothing; requests in flight together are served by the same round. One at
 * a time, 1,000 containers would take 1,000 s; 50 at once (the old default, a thread each) took
 * 20 s, longer than the 10 s interval. So the requests are kept in flight by one thread
 * ({@link StatsRequests}, a socket each) and a round of 1,000 takes a few seconds; only a TLS
 * daemon's requests take a thread each (at most {@value #MAX_TLS_THREADS}). A container still
 * being asked from the last tick is skipped (and logged once), so a slow daemon never piles up
 * requests. A container that dies (event {@code die}/{@code destroy}, or missing from the next
 * list) gets no more records, and an answer that arrives after its death is dropped.
 */
final class StatsConsumer extends DockerSourceConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(StatsConsumer.class);
    private static final ApiVersion ONE_SHOT_SINCE = ApiVersion.parse("1.41");
    private static final Set<String> STOPPING_ACTIONS = Set.of("die", "destroy");
    private static final String RUNNING_CONTAINERS = "/containers/json";
    /** Threads for TLS daemons' requests (blocking), whatever the concurrency. */
    static final int MAX_TLS_THREADS = 64;

    private final List<DaemonPoller> pollers = new ArrayList<>();
    private ScheduledExecutorService ticker;
    private ExecutorService pool;
    private StatsRequests requests;
    private int concurrency;
    private ContainerFilter filter;

    StatsConsumer(SourceEndpoint endpoint, Processor processor, SourceServices services) {
        super(endpoint, processor, services);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Settings settings = services.settings();
        Duration interval = settings.duration(Settings.STATS_INTERVAL);
        concurrency = settings.intInRange(Settings.STATS_CONCURRENCY, 1, Settings.MAX_STATS_CONCURRENCY);
        filter = ContainerFilter.from(settings);
        AtomicInteger threadNumber = new AtomicInteger();
        pool = Executors.newFixedThreadPool(Math.min(concurrency, MAX_TLS_THREADS),
                r -> daemonThread(r, "dockwatch-stats-" + threadNumber.incrementAndGet()));
        requests = new StatsRequests("dockwatch-stats-requests");
        ticker = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "dockwatch-stats-tick"));
        for (DockerDaemon daemon : services.daemons()) {
            DaemonPoller poller = new DaemonPoller(daemon);
            pollers.add(poller);
            DaemonEvents events = services.events(daemon);
            events.addListener(poller);
            startEventsWhenReady(events);
        }
        ticker.scheduleAtFixedRate(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    protected void doStop() throws Exception {
        for (DaemonPoller p : pollers) {
            services.events(p.daemon).removeListener(p);
        }
        pollers.clear();
        ticker.shutdownNow();
        requests.close();
        pool.shutdownNow();
        pool.awaitTermination(3, TimeUnit.SECONDS);
        super.doStop();
    }

    private void tick() {
        for (DaemonPoller p : pollers) {
            try {
                p.tick();
            } catch (RuntimeException e) {
                LOG.warn("Stats from {} failed: {}", p.daemon.endpoint().uri(), e.toString());
            }
        }
    }

    /** The stats state of one daemon: previous samples, requests in flight, containers seen dying. */
    private final class DaemonPoller implements DaemonEvents.Listener {
        final DockerDaemon daemon;
        final Map<String, StatsRecords.Sample> previous = new ConcurrentHashMap<>();
        final Set<String> inFlight = ConcurrentHashMap.newKeySet();
        /** Asked for this round, not sent yet (at most {@code concurrency} are in flight). */
        final java.util.ArrayDeque<String> waiting = new java.util.ArrayDeque<>();
        int sent;
        /** Died since the last list: not asked again, and answers still in flight for them are dropped. */
        final Set<String> stopped = ConcurrentHashMap.newKeySet();
        boolean down;
        boolean warnedOldApi;
        boolean warnedBehind;

        DaemonPoller(DockerDaemon daemon) {
            this.daemon = daemon;
        }

        @Override
        public void onEvent(JsonNode ev, JsonNode position) {
            if (!"container".equals(ev.path("Type").asText())) {
                return;
            }
            String id = ev.path("Actor").path("ID").asText();
            if (STOPPING_ACTIONS.contains(ev.path("Action").asText())) {
                stopped.add(id);
                previous.remove(id); // a restarted container's counters start again from zero
            }
        }

        void tick() {
            JsonNode list;
            // the list is the truth from here on; deaths after it are marked again by their events
            stopped.clear();
            try {
                list = daemon.get(RUNNING_CONTAINERS);
                if (down) {
                    LOG.info("Stats from {} resume", daemon.endpoint().uri());
                    down = false;
                }
            } catch (DockerApiException e) {
                if (!down) {
                    if (e.isUnreachable()) { // the daemon's outage line says it already
                        LOG.debug("Stats from {} paused: {}", daemon.endpoint().uri(), e.getMessage());
                    } else {
                        LOG.warn("Stats from {} paused: {}", daemon.endpoint().uri(), e.getMessage());
                    }
                    down = true;
                }
                return;
            }
            warnIfOldApi();
            Set<String> running = new HashSet<>();
            list.forEach(c -> running.add(c.path("Id").asText()));
            previous.keySet().retainAll(running);
            int skipped = 0;
            for (String id : running) {
                if (stopped.contains(id)) {
                    continue;
                }
                ContainerMetadata meta = services.metadata().get(daemon, id);
                if (!filter.accepts(meta)) {
                    continue;
                }
                if (!inFlight.add(id)) {
                    skipped++;
                    continue;
                }
                synchronized (this) {
                    waiting.add(id);
                }
            }
            pump();
            if (skipped > 0 && !warnedBehind) {
                LOG.warn("Stats from {} fall behind: {} containers still being read from the last interval; "
                        + "raise dockwatch.stats.concurrency or dockwatch.stats.interval", daemon.endpoint().uri(), skipped);
                warnedBehind = true;
            }
        }

        private void warnIfOldApi() {
            DockerDaemon.Identity identity = daemon.identity();
            if (!warnedOldApi && identity != null && identity.apiVersion().compareTo(ONE_SHOT_SINCE) < 0) {
                LOG.warn("Docker at {} speaks API {} (< 1.41): no one-shot stats, each read waits ~2 s for two samples",
                        daemon.endpoint().uri(), identity.apiVersion());
                warnedOldApi = true;
            }
        }

        /** Sends what waits while fewer than {@code concurrency} requests are out. */
        private void pump() {
            while (true) {
                String id;
                synchronized (this) {
                    if (sent >= concurrency || (id = waiting.poll()) == null) {
                        return;
                    }
                    sent++;
                }
                String path = "/containers/" + id + "/stats?stream=false&one-shot=true";
                if (StatsRequests.serves(daemon)) {
                    requests.get(daemon, path, daemon.requestTimeout(), new StatsRequests.Answer() {
                        @Override
                        public void done(JsonNode body) {
                            answered(id, body, null);
                        }

                        @Override
                        public void failed(DockerApiException e) {
                            answered(id, null, e);
                        }
                    });
                    continue;
                }
                try {
                    pool.execute(() -> {
                        try {
                            answered(id, daemon.get(path), null);
                        } catch (DockerApiException e) {
                            answered(id, null, e);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    return; // stopping
                }
            }
        }

        private void answered(String id, JsonNode stats, DockerApiException error) {
            try {
                sample(id, stats, error);
            } finally {
                synchronized (this) {
                    sent--;
                }
                pump();
            }
        }

        private void sample(String id, JsonNode stats, DockerApiException error) {
            try {
                if (error != null) {
                    throw error;
                }
                if (!StatsRecords.isRunning(stats) || stopped.contains(id)) {
                    return;
                }
                StatsRecords.Sample last = previous.get(id);
                var record = StatsRecords.toRecord(stats, last, daemon.hostName(), daemon.endpoint().uri().toString(), id);
                previous.put(id, StatsRecords.sample(stats));
                // the last sample travels with the container's next die/oom/unhealthy event
                services.contexts().stats(daemon.key(), id, record.get(Fields.STATS));
                emit(daemon, record, List.of());
            } catch (DockerApiException e) {
                if (!e.isNotFound() && e.status() != 409) { // gone or stopped since the list
                    LOG.debug("Stats of {} from {}: {}", id, daemon.endpoint().uri(), e.getMessage());
                }
            } catch (RuntimeException e) {
                LOG.warn("Stats of {} from {} failed: {}", id, daemon.endpoint().uri(), e.toString());
            } finally {
                inFlight.remove(id);
            }
        }
    }
}
