package io.dockwatch.docker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The configured Docker daemons, one client each, and their shared event streams: one stream per
 * daemon, however many sources listen to it. Bound in the Camel registry as {@code dockerDaemons}.
 */
public final class DockerDaemons implements AutoCloseable {
    /** Exchange header naming the daemon (its endpoint key) a record came from. */
    public static final String DAEMON_HEADER = "DockwatchDaemon";

    private final Map<String, DockerDaemon> daemons = new LinkedHashMap<>();
    private final Map<String, DaemonEvents> events = new ConcurrentHashMap<>();
    private final List<Function<DockerDaemon, DaemonEvents.Listener>> alwaysListening = new CopyOnWriteArrayList<>();

    public DockerDaemons(Collection<DockerDaemon> daemons) {
        daemons.forEach(d -> this.daemons.put(d.key(), d));
    }

    /**
     * A listener every event stream gets when it is made (the metadata cache, the container
     * contexts): add before any source asks for a stream.
     */
    public void listenToEveryStream(Function<DockerDaemon, DaemonEvents.Listener> listenerFor) {
        alwaysListening.add(listenerFor);
    }

    /** In configuration order. */
    public List<DockerDaemon> daemons() {
        return new ArrayList<>(daemons.values());
    }

    /** The daemon with this endpoint key, or null. */
    public DockerDaemon daemon(String key) {
        return key == null ? null : daemons.get(key);
    }

    /** Per configured daemon, in configuration order: reachable or not, since when, last error. */
    public List<DaemonStatus> statuses() {
        return daemons.values().stream().map(DockerDaemon::status).toList();
    }

    /** The shared event stream of a daemon, made (not started) on first use. */
    public DaemonEvents events(DockerDaemon daemon) {
        return events.computeIfAbsent(daemon.key(), k -> {
            DaemonEvents e = new DaemonEvents(daemon);
            alwaysListening.forEach(f -> e.addListener(f.apply(daemon)));
            return e;
        });
    }

    /** The daemon's event stream if some source started it, else null (not a failure: nothing follows it). */
    public DaemonEvents eventsIfStarted(DockerDaemon daemon) {
        DaemonEvents e = events.get(daemon.key());
        return e != null && e.isRunning() ? e : null;
    }

    /** Stops the event streams; the clients close with {@link #closeClients} (after the spools' last flush). */
    public void stopEvents() {
        events.values().forEach(DaemonEvents::stop);
    }

    public void closeClients() {
        daemons.values().forEach(DockerDaemon::close);
    }

    @Override
    public void close() {
        stopEvents();
        closeClients();
    }
}
