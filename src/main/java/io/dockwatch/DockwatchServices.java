package io.dockwatch;

import io.dockwatch.cluster.ClusterSetup;
import io.dockwatch.cluster.SharedCheckpoints;
import io.dockwatch.context.ContainerContexts;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DaemonStatus;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.docker.DockerDaemons;
import io.dockwatch.docker.DockerEndpoint;
import io.dockwatch.docker.OwnExecs;
import io.dockwatch.enrich.ContainerMetadataCache;
import io.dockwatch.observe.DockwatchHealthChecks;
import io.dockwatch.observe.Observe;
import io.dockwatch.observe.ObserveServer;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.logs.file.LogFiles;
import io.dockwatch.spool.CheckpointStore;
import io.dockwatch.spool.Spool;
import io.dockwatch.spool.SpoolOverflow;
import io.dockwatch.spool.Spools;
import io.dockwatch.wiring.ServiceBeans;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.LoggerFactory;

/**
 * Where the shared services are made, from the settings, and bound in the Camel registry, each
 * as a bean of its own (see {@link #beans()}): the components are given them (or find them by
 * type), none reaches for this class. Made by dockwatch's main before Camel starts; in a Camel
 * runtime without it, made by the {@link Assembler} when the first dockwatch component starts.
 */
public final class DockwatchServices implements AutoCloseable {
    /** Exchange header naming the daemon (its endpoint key) a record came from. */
    public static final String DAEMON_HEADER = DockerDaemons.DAEMON_HEADER;

    private final Settings settings;
    private final DockerDaemons daemons;
    private final ContainerMetadataCache metadata = new ContainerMetadataCache();
    private final ContainerContexts contexts;
    private final Spools spools;
    private final SharedCheckpoints sharedCheckpoints;
    private final OwnExecs ownExecs;
    private final LogFiles logFiles;
    private final Observe observe;

    public DockwatchServices(Settings settings) {
        this.settings = settings;
        this.contexts = new ContainerContexts(settings.intInRange(Settings.CONTEXT_LINES, 0, 1000));
        // settings made by hand (embedding, tests) may lack these keys: then the defaults apply
        Duration requestTimeout = settings.isSet(Settings.DOCKER_TIMEOUT) ? settings.duration(Settings.DOCKER_TIMEOUT)
                : DockerDaemon.DEFAULT_REQUEST_TIMEOUT;
        Duration pingInterval = settings.isSet(Settings.DOCKER_PING_INTERVAL)
                ? settings.duration(Settings.DOCKER_PING_INTERVAL) : DockerDaemon.DEFAULT_PING_INTERVAL;
        List<DockerDaemon> clients = new ArrayList<>();
        for (URI uri : settings.dockerHosts()) {
            clients.add(new DockerDaemon(DockerEndpoint.of(uri, System.getenv()), requestTimeout, pingInterval));
        }
        this.daemons = new DockerDaemons(clients);
        // the metadata cache and the contexts always listen to a daemon's event stream
        daemons.listenToEveryStream(metadata::listenerFor);
        daemons.listenToEveryStream(d -> contexts.listenerFor(d.key()));
        CheckpointStore checkpoints = new CheckpointStore();
        this.spools = new Spools(settings.path(Settings.STATE_DIR).resolve("spool"), checkpoints, spoolBound(settings),
                stateSyncInterval(settings));
        this.sharedCheckpoints = new SharedCheckpoints(settings.clusterDir().resolve("checkpoints"), checkpoints);
        this.ownExecs = new OwnExecs(settings.path(Settings.STATE_DIR).resolve("own-execs"));
        this.logFiles = new LogFiles(settings.isSet(Settings.LOGS_READ)
                ? settings.choice(Settings.LOGS_READ, LogFiles.Mode.class, LogFiles.Mode::spelling) : LogFiles.Mode.AUTO);
        this.observe = new Observe(settings, daemons, spools, metadata);
        observe.logsReadFrom(logFiles::chosen);
        observe.metrics().counterFrom("dockwatch_log_file_damaged_total",
                "Damaged places (a torn write, bytes not in the driver's format) skipped in log files read by the file path, by log driver.",
                "driver", logFiles::damagedPlaces);
    }

    /**
     * Each shared service by the bean name it is bound under. These names are kept: a route or
     * a {@code camel.component.<scheme>.<service>=#name} setting may refer to them.
     */
    public Map<String, Object> beans() {
        Map<String, Object> beans = new LinkedHashMap<>();
        beans.put("dockwatchSettings", settings);
        beans.put("dockerDaemons", daemons);
        beans.put("spools", spools);
        beans.put("containerMetadata", metadata);
        beans.put("containerContexts", contexts);
        beans.put("observe", observe);
        beans.put("sharedCheckpoints", sharedCheckpoints);
        beans.put("ownExecs", ownExecs);
        beans.put("logFiles", logFiles);
        return beans;
    }

    /**
     * Binds the services in a Camel runtime that lacks them (the thin jar in a host runtime):
     * made from the context's {@code dockwatch.*} properties, with leader election, the HTTP
     * pages and a stop hook; or, when a {@link DockwatchServices} is bound already (embedding,
     * tests), its services. Listed in {@code META-INF/services}; run by {@link ServiceBeans}.
     */
    public static final class Assembler implements ServiceBeans.Assembler {
        @Override
        public void bindServices(CamelContext camel) {
            DockwatchServices s = camel.getRegistry().findSingleByType(DockwatchServices.class);
            if (s == null) {
                Properties props = camel.getPropertiesComponent().loadProperties(k -> k.startsWith("dockwatch."));
                s = new DockwatchServices(Settings.forRuntime(props).validate());
                camel.getRegistry().bind("dockwatchServices", s);
                runInside(camel, s);
            }
            s.beans().forEach(camel.getRegistry()::bind);
            // Camel's own health tooling sees the daemon and sink checks too, under any main
            DockwatchHealthChecks.register(camel, s.observe());
        }

        private static void runInside(CamelContext camel, DockwatchServices s) {
            try {
                // the shipped routes' master: endpoints need a cluster service
                ClusterSetup.register(camel, s.settings());
            } catch (Exception e) {
                throw new IllegalStateException("Cannot set up leader election in " + s.settings().clusterDir(), e);
            }
            // the same health, metrics and status page as under dockwatch's own main; a host
            // runtime whose port is taken still collects, it only lacks these pages
            ObserveServer http = startHttpOrWarn(s);
            try {
                camel.addStartupListener((context, alreadyStarted) -> s.observe().phase(Observe.Phase.RUNNING));
                camel.addService(new ServiceSupport() {
                    @Override
                    protected void doStop() {
                        if (http != null) {
                            http.close();
                        }
                        s.close();
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException("Cannot register dockwatch's services with Camel", e);
            }
        }

        private static ObserveServer startHttpOrWarn(DockwatchServices s) {
            try {
                return ObserveServer.start(s.observe(), s.settings());
            } catch (UncheckedIOException e) {
                LoggerFactory.getLogger(DockwatchServices.class).warn("No status page, metrics or health: {}",
                        e.getMessage());
                return null;
            }
        }
    }

    private static Spool.Bound spoolBound(Settings settings) {
        // settings made by hand (embedding, tests) may lack these keys: then the spool is unbounded
        if (!settings.isSet(Settings.SPOOL_MAX_BYTES)) {
            return Spool.Bound.UNBOUNDED;
        }
        return new Spool.Bound(settings.bytes(Settings.SPOOL_MAX_BYTES), settings.isSet(Settings.SPOOL_OVERFLOW)
                ? settings.choice(Settings.SPOOL_OVERFLOW, SpoolOverflow.class, SpoolOverflow::spelling)
                : SpoolOverflow.DROP_OLDEST);
    }

    /** How often at most the spools force their writes to disk (settings made by hand may lack the key). */
    private static Duration stateSyncInterval(Settings settings) {
        return settings.isSet(Settings.STATE_SYNC_INTERVAL) ? settings.durationOrZero(Settings.STATE_SYNC_INTERVAL)
                : Spool.DEFAULT_SYNC_INTERVAL;
    }

    // ---- the services, for the main and for tests that make them by hand ----------------------

    public Settings settings() {
        return settings;
    }

    public DockerDaemons dockerDaemons() {
        return daemons;
    }

    public List<DockerDaemon> daemons() {
        return daemons.daemons();
    }

    public DockerDaemon daemon(String key) {
        return daemons.daemon(key);
    }

    /** Per configured daemon, in configuration order: reachable or not, since when, last error. */
    public List<DaemonStatus> daemonStatuses() {
        return daemons.statuses();
    }

    public DaemonEvents events(DockerDaemon daemon) {
        return daemons.events(daemon);
    }

    public DaemonEvents eventsIfStarted(DockerDaemon daemon) {
        return daemons.eventsIfStarted(daemon);
    }

    public SharedCheckpoints sharedCheckpoints() {
        return sharedCheckpoints;
    }

    public ContainerMetadataCache metadata() {
        return metadata;
    }

    public ContainerContexts contexts() {
        return contexts;
    }

    public LogFiles logFiles() {
        return logFiles;
    }

    public CheckpointStore checkpoints() {
        return spools.checkpoints();
    }

    public Spools spoolFolder() {
        return spools;
    }

    public Spool spool(String name) {
        return spools.spool(name);
    }

    public Collection<Spool> spools() {
        return spools.all();
    }

    public Duration stateSyncInterval() {
        return spools.syncInterval();
    }

    public OwnExecs ownExecs() {
        return ownExecs;
    }

    public Observe observe() {
        return observe;
    }

    @Override
    public void close() {
        observe.close();
        daemons.stopEvents();
        spools.close();
        sharedCheckpoints.close(); // after the spools: their last flush is shared too
        daemons.closeClients();
        ownExecs.close();
    }
}
