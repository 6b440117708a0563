package io.dockwatch;

import io.dockwatch.sink.file.NdjsonFileSettings;
import io.dockwatch.cluster.ClusterSetup;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.observe.DockwatchHealthChecks;
import io.dockwatch.observe.Observe;
import io.dockwatch.observe.ObserveServer;
import io.dockwatch.settings.Settings;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector as a standalone Camel Main: reads and checks the settings, binds the shared
 * services, and runs the YAML routes (the shipped ones, or the folder {@code dockwatch.routes}).
 */
public final class Dockwatch {
    private static final Logger LOG = LoggerFactory.getLogger(Dockwatch.class);

    private Dockwatch() {
    }

    /** Exit code of every start-up failure: a setting, a route, a folder, the HTTP port. */
    static final int EXIT_STARTUP_FAILED = 2;
    /**
     * How long {@link System#exit} may take (shutdown hooks) before the process is halted: a
     * collector that failed, or was asked to stop, must never linger half alive.
     */
    private static final long EXIT_GRACE_MILLIS = 5_000;

    public static void main(String[] args) {
        int rc;
        try {
            rc = run(args);
        } catch (Throwable e) {
            // One line, the stack trace only at DEBUG (DOCKWATCH_LOG_LEVEL=DEBUG): a user fixes the
            // YAML or the setting from the line; a 200-line trace hides it.
            LOG.debug("Start-up failed", e);
            System.err.println("dockwatch: " + StartupFailure.describe(e));
            rc = EXIT_STARTUP_FAILED;
        }
        exit(rc);
    }

    /**
     * Ends the JVM even if a thread that is not a daemon (a client's pool, a timer) is still
     * running, and even if a shutdown hook hangs.
     */
    private static void exit(int rc) {
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(EXIT_GRACE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(rc);
        }, "dockwatch-exit");
        halt.setDaemon(true);
        halt.start();
        System.exit(rc);
    }

    private static int run(String[] args) throws Exception {
        Settings settings = Settings.load().validate();
        // The state dir only: without it no record becomes durable. The output dir is a sink's
        // destination, which like any other may be away at start and come back (health shows it).
        settings.writableFolder(Settings.STATE_DIR);
        DockwatchServices services = new DockwatchServices(settings);
        ObserveServer http = ObserveServer.start(services.observe(), settings);
        Main main = new Main(Dockwatch.class);
        // each shared service a bean of its own, found by the components by name or type
        main.bind("dockwatchServices", services);
        services.beans().forEach(main::bind);
        // Camel sees every key of the built-in and the user's application.properties with the
        // same precedence as dockwatch (JVM > environment > ./application.properties > built-in);
        // Camel's own lookup would put an environment variable above a JVM property, so the
        // environment is only its fallback for keys no file names.
        settings.runtimeProperties().forEach(main::addOverrideProperty);
        main.addOverrideProperty("camel.component.properties.environment-variable-mode", "1");
        if (settings.isSet(Settings.ROUTES)) {
            main.addOverrideProperty("camel.main.routes-include-pattern",
                    "file:" + settings.path(Settings.ROUTES).toAbsolutePath() + "/*.camel.yaml");
        }
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                try {
                    ClusterSetup.register(m.getCamelContext(), settings);
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot set up leader election in " + settings.clusterDir(), e);
                }
            }

            @Override
            public void afterConfigure(BaseMainSupport m) {
                // Camel's own health tooling sees the daemon and sink checks too
                DockwatchHealthChecks.register(m.getCamelContext(), services.observe());
            }

            @Override
            public void afterStart(BaseMainSupport m) {
                services.observe().phase(Observe.Phase.RUNNING);
                LOG.info(summary(m.getCamelContext(), services));
            }

            @Override
            public void beforeStop(BaseMainSupport m) {
                services.observe().phase(Observe.Phase.STOPPING);
            }
        });
        // SIGTERM and Ctrl-C end the run loop; the JVM then exits 0 once everything is flushed.
        // (Camel's own hang-up hook would stop Camel inside a shutdown hook, and the JVM would
        // report the signal, 143, instead of a clean stop.)
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        for (String signal : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> {
                LOG.info("Stopping on SIG{}", signal);
                main.completed();
            });
        }
        int rc = main.run(args);
        http.close();
        services.close();
        LOG.info("dockwatch stopped");
        return rc;
    }

    /** One short paragraph: what is collected, from where, to where. */
    static String summary(CamelContext camel, DockwatchServices services) {
        List<String> sources = new ArrayList<>();
        List<String> sinks = new ArrayList<>();
        for (Route r : camel.getRoutes()) {
            org.apache.camel.ServiceStatus status = camel.getRouteController().getRouteStatus(r.getRouteId());
            if (status != null && !status.isStarted()) {
                continue; // switched off by its setting (autoStartup)
            }
            String uri = r.getEndpoint().getEndpointUri();
            if (!camel.getRouteController().getRouteStatus(r.getRouteId()).isStarted()) {
                continue; // a switched-off sink (its URL unset)
            }
            if (uri.startsWith("spool:")) {
                sinks.add(r.getRouteId());
            } else if (uri.startsWith("master:")) {
                // master:namespace:delegate runs on the elected leader only
                String delegate = uri.substring(uri.indexOf(':', "master:".length()) + 1);
                sources.add(delegate.substring(0, delegate.indexOf(':')) + " (when leader)");
            } else {
                sources.add(uri.substring(0, uri.indexOf(':')));
            }
        }
        StringBuilder sb = new StringBuilder("dockwatch collecting ").append(String.join(", ", sources)).append(" from");
        for (DockerDaemon d : services.daemons()) {
            try {
                DockerDaemon.Identity id = d.connect();
                sb.append(' ').append(d.endpoint()).append(" (").append(id.name()).append(", Engine ")
                        .append(id.engineVersion()).append(", API ").append(id.apiVersion()).append("; ")
                        .append(services.logFiles().describe(d)).append(')');
            } catch (DockerApiException e) {
                sb.append(' ').append(d.endpoint()).append(" (unreachable, retrying)");
            }
        }
        sb.append("; sinks: ").append(String.join(", ", sinks));
        if (services.settings().bool(NdjsonFileSettings.ENABLED)) {
            sb.append(" (NDJSON in ").append(services.settings().path(Settings.OUTPUT_DIR).toAbsolutePath()).append(')');
        }
        return sb.toString();
    }
}
