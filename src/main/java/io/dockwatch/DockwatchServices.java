package io.dockwatch;

import io.dockwatch.cluster.SharedCheckpoints;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DaemonStatus;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.docker.DockerEndpoint;
import io.dockwatch.enrich.ContainerMetadataCache;
import io.dockwatch.observe.Observe;
import io.dockwatch.observe.ObserveServer;
import io.dockwatch.settings.Settings;
import io.dockwatch.spool.CheckpointStore;
import io.dockwatch.spool.Spool;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;

/**
 * What the sources, the enricher and the sinks share: settings, one client and one event stream
 * per Docker daemon, the metadata cache, the checkpoints and the spools. Bound in the Camel
 * registry; in a Camel runtime other than dockwatch's own main, it is made from the context's
 * properties on first use, so the same YAML routes run anywhere.
 */
public final class DockwatchServices implements AutoCloseable {
    /** Exchange header naming the daemon (its endpoint key) a record came from. */
    public static final String DAEMON_HEADER = "DockwatchDaemon";

    private final Settings settings;
    private final Map<String, DockerDaemon> daemons = new LinkedHashMap<>();
    private final Map<String, DaemonEvents> events = new ConcurrentHashMap<>();
    private final ContainerMetadataCache metadata = new ContainerMetadataCache();
    private final CheckpointStore checkpoints = new CheckpointStore();
    private final Map<String, Spool> spools = new ConcurrentHashMap<>();
    private SharedCheckpoints sharedCheckpoints;
    private final io.dockwatch.context.ContainerContexts contexts;
    private final Observe observe = new Observe(this);
    private io.dockwatch.source.events.OwnExecs ownExecs;

    public DockwatchServices(Settings settings) {
        this.settings = settings;
        this.contexts = new io.dockwatch.context.ContainerContexts(settings.intInRange(Settings.CONTEXT_LINES, 0, 1000));
        // settings made by hand (embedding, tests) may lack these keys: then the defaults apply
        Duration requestTimeout = settings.isSet(Settings.DOCKER_TIMEOUT) ? settings.duration(Settings.DOCKER_TIMEOUT)
                : DockerDaemon.DEFAULT_REQUEST_TIMEOUT;
        Duration pingInterval = settings.isSet(Settings.DOCKER_PING_INTERVAL)
                ? settings.duration(Settings.DOCKER_PING_INTERVAL) : DockerDaemon.DEFAULT_PING_INTERVAL;
        for (URI uri : settings.dockerHosts()) {
            DockerDaemon d = new DockerDaemon(DockerEndpoint.of(uri, System.getenv()), requestTimeout, pingInterval);
            daemons.put(d.key(), d);
        }
        // Open the spools that exist, so every source's checkpoint is known before any source starts.
        java.nio.file.Path spoolRoot = settings.path(Settings.STATE_DIR).resolve("spool");
        if (java.nio.file.Files.isDirectory(spoolRoot)) {
            try (var dirs = java.nio.file.Files.list(spoolRoot)) {
                dirs.filter(java.nio.file.Files::isDirectory).forEach(d -> spool(d.getFileName().toString()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot read the spool folder " + spoolRoot, e);
            }
        }
    }

    public static synchronized DockwatchServices of(CamelContext camel) {
        DockwatchServices s = camel.getRegistry().findSingleByType(DockwatchServices.class);
        if (s == null) {
            Properties props = camel.getPropertiesComponent().loadProperties(k -> k.startsWith("dockwatch."));
            s = new DockwatchServices(Settings.forRuntime(props).validate());
            camel.getRegistry().bind("dockwatchServices", s);
            try {
                // the shipped routes' master: endpoints need a cluster service; created after this one
                io.dockwatch.cluster.ClusterSetup.register(camel, s.settings());
            } catch (Exception e) {
                throw new IllegalStateException("Cannot set up leader election in " + s.settings().clusterDir(), e);
            }
            DockwatchServices created = s;
            // the same health, metrics and status page as under dockwatch's own main; a host
            // runtime whose port is taken still collects, it only lacks these pages
            ObserveServer http = startHttpOrWarn(s);
            try {
                camel.addStartupListener((context, alreadyStarted) -> created.observe().phase(Observe.Phase.RUNNING));
                camel.addService(new org.apache.camel.support.service.ServiceSupport() {
                    @Override
                    protected void doStop() {
                        if (http != null) {
                            http.close();
                        }
                        created.close();
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException("Cannot register dockwatch's services with Camel", e);
            }
        }
        // Camel's own health tooling sees the daemon and sink checks too, under any main
        io.dockwatch.observe.DockwatchHealthChecks.register(camel, s.observe());
        return s;
    }

    private static ObserveServer startHttpOrWarn(DockwatchServices s) {
        try {
            return ObserveServer.start(s.observe(), s.settings());
        } catch (java.io.UncheckedIOException e) {
            org.slf4j.LoggerFactory.getLogger(DockwatchServices.class).warn("No status page, metrics or health: {}",
                    e.getMessage());
            return null;
        }
    }

    private io.dockwatch.source.logs.file.LogFiles logFiles;

    public Settings settings() {
        return settings;
    }

    public List<DockerDaemon> daemons() {
        return new ArrayList<>(daemons.values());
    }

    public DockerDaemon daemon(String key) {
        return daemons.get(key);
    }

    /** Per configured daemon, in configuration order: reachable or not, since when, last error. */
    public List<DaemonStatus> daemonStatuses() {
        return daemons.values().stream().map(DockerDaemon::status).toList();
    }

    /** Checkpoints of once-per-cluster sources, shared through the cluster folder. */
    public synchronized SharedCheckpoints sharedCheckpoints() {
        if (sharedCheckpoints == null) {
            sharedCheckpoints = new SharedCheckpoints(settings.clusterDir().resolve("checkpoints"), checkpoints);
        }
        return sharedCheckpoints;
    }

    public ContainerMetadataCache metadata() {
        return metadata;
    }

    /** What was last seen of each container, for events that need explaining. */
    public io.dockwatch.context.ContainerContexts contexts() {
        return contexts;
    }

    /** Where each container's log is read: its json-file files or the API ({@code dockwatch.logs.read}). */
    public synchronized io.dockwatch.source.logs.file.LogFiles logFiles() {
        if (logFiles == null) {
            logFiles = new io.dockwatch.source.logs.file.LogFiles(settings.choice(Settings.LOGS_READ,
                    io.dockwatch.source.logs.file.LogFiles.Mode.class, io.dockwatch.source.logs.file.LogFiles.Mode::spelling));
        }
        return logFiles;
    }

    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    /** The spool of this name under the state dir, opened (and its checkpoints recovered) on first use. */
    public Spool spool(String name) {
        return spools.computeIfAbsent(name,
                n -> new Spool(settings.path(Settings.STATE_DIR).resolve("spool").resolve(n), checkpoints, spoolBound(),
                        stateSyncInterval()));
    }

    /** All spools opened so far (health: a spool that cannot write). */
    public java.util.Collection<Spool> spools() {
        return List.copyOf(spools.values());
    }

    /** How often at most the spools force their writes to disk (settings made by hand may lack the key). */
    public java.time.Duration stateSyncInterval() {
        return settings.isSet(Settings.STATE_SYNC_INTERVAL) ? settings.durationOrZero(Settings.STATE_SYNC_INTERVAL)
                : Spool.DEFAULT_SYNC_INTERVAL;
    }

    private Spool.Bound spoolBound() {
        // settings made by hand (embedding, tests) may lack these keys: then the spool is unbounded
        if (!settings.isSet(Settings.SPOOL_MAX_BYTES)) {
            return Spool.Bound.UNBOUNDED;
        }
        return new Spool.Bound(settings.bytes(Settings.SPOOL_MAX_BYTES), settings.isSet(Settings.SPOOL_OVERFLOW)
                ? settings.choice(Settings.SPOOL_OVERFLOW, Settings.SpoolOverflow.class, Settings.SpoolOverflow::spelling)
                : Settings.SpoolOverflow.DROP_OLDEST);
    }

    /** The shared event stream of a daemon; the metadata cache and the contexts always listen to it. */
    public DaemonEvents events(DockerDaemon daemon) {
        return events.computeIfAbsent(daemon.key(), k -> {
            DaemonEvents e = new DaemonEvents(daemon);
            e.addListener(metadata.listenerFor(daemon));
            e.addListener(contexts.listenerFor(daemon.key()));
            return e;
        });
    }

    /** The daemon's event stream if some source started it, else null (not a failure: nothing follows it). */
    public DaemonEvents eventsIfStarted(DockerDaemon daemon) {
        DaemonEvents e = events.get(daemon.key());
        return e != null && e.isRunning() ? e : null;
    }

    /** The execs the collector made itself, by ID: their events are not recorded. */
    public synchronized io.dockwatch.source.events.OwnExecs ownExecs() {
        if (ownExecs == null) {
            ownExecs = new io.dockwatch.source.events.OwnExecs(settings.path(Settings.STATE_DIR).resolve("own-execs"));
        }
        return ownExecs;
    }

    /** Metrics, health and status-page state of this collector. */
    public Observe observe() {
        return observe;
    }

    @Override
    public void close() {
        observe.close();
        events.values().forEach(DaemonEvents::stop);
        spools.values().forEach(Spool::close);
        synchronized (this) {
            if (sharedCheckpoints != null) {
                sharedCheckpoints.close(); // after the spools: their last flush is shared too
            }
        }
        daemons.values().forEach(DockerDaemon::close);
        synchronized (this) {
            if (ownExecs != null) {
                ownExecs.close();
            }
        }
    }
}
