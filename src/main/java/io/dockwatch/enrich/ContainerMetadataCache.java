package io.dockwatch.enrich;

import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Container metadata by daemon and container ID, from inspect answers. Filled by the config
 * source's inspects and, on a miss, by one inspect; events keep it fresh (rename and update
 * refresh it, destroy drops it a while later so late records of the container still find it).
 * Never one inspect call per record.
 */
public final class ContainerMetadataCache {
    private static final long KEEP_AFTER_DESTROY_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final Set<String> REFRESHING_ACTIONS = Set.of("rename", "update");

    private record Entry(ContainerMetadata metadata, long destroyedAt) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private static String key(DockerDaemon daemon, String id) {
        return daemon.key() + "/" + id;
    }

    public void put(DockerDaemon daemon, ContainerMetadata m) {
        entries.put(key(daemon, m.id()), new Entry(m, 0));
    }

    /** Cached metadata, else one inspect; null if the container is unknown to the daemon. */
    public ContainerMetadata get(DockerDaemon daemon, String id) {
        Entry e = entries.get(key(daemon, id));
        if (e != null) {
            return e.metadata();
        }
        try {
            ContainerMetadata m = ContainerMetadata.fromInspect(daemon.get("/containers/" + id + "/json"));
            put(daemon, m);
            return m;
        } catch (DockerApiException ex) {
            return null;
        }
    }

    /** Only what is cached: no Docker call. */
    public ContainerMetadata peek(DockerDaemon daemon, String id) {
        Entry e = entries.get(key(daemon, id));
        return e == null ? null : e.metadata();
    }

    /** Keeps the cache in step with a daemon's events. */
    public DaemonEvents.Listener listenerFor(DockerDaemon daemon) {
        return (ev, position) -> {
            if (!"container".equals(ev.path("Type").asText())) {
                return;
            }
            String action = ev.path("Action").asText();
            String id = ev.path("Actor").path("ID").asText();
            String k = key(daemon, id);
            if (REFRESHING_ACTIONS.contains(action)) {
                entries.remove(k);
            } else if ("destroy".equals(action)) {
                entries.computeIfPresent(k, (kk, e) -> new Entry(e.metadata(), System.nanoTime()));
                if (!entries.containsKey(k)) {
                    entries.put(k, new Entry(ContainerMetadata.fromEventActor(ev.path("Actor")), System.nanoTime()));
                }
                expire();
            }
        };
    }

    private void expire() {
        long now = System.nanoTime();
        entries.values().removeIf(e -> e.destroyedAt() != 0 && now - e.destroyedAt() > KEEP_AFTER_DESTROY_NANOS);
    }

    public int size() {
        return entries.size();
    }

    /** Used by tests to tell whether an inspect answer would be needed. */
    boolean contains(DockerDaemon daemon, String id) {
        return entries.containsKey(key(daemon, id));
    }

}
