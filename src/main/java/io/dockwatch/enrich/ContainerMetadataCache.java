package io.dockwatch.enrich;

import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Container metadata by daemon and container ID, from inspect answers. Filled by the config
 * source's inspects and, on a miss, by one inspect; events keep it fresh (rename and update
 * refresh it, destroy drops it a while later so late records of the container still find it).
 * Never one inspect call per record.
 *
 * <p>Bounded: a destroyed container's entry is kept for {@link #KEEP_AFTER_DESTROY_NANOS} and
 * among the last {@value #MAX_DESTROYED_KEPT} destroyed only; one put after its destroy (an
 * inspect answered just before) stays marked destroyed, so it goes too. Containers removed while
 * the events were not followed are dropped by {@link #retainOnly} after a full listing.
 */
public final class ContainerMetadataCache {
    private static final long KEEP_AFTER_DESTROY_NANOS = TimeUnit.MINUTES.toNanos(5);
    static final int MAX_DESTROYED_KEPT = 256;
    private static final Set<String> REFRESHING_ACTIONS = Set.of("rename", "update");

    /** {@code putAt}: when the metadata was cached (a listing older than that cannot speak for it). */
    private record Entry(ContainerMetadata metadata, long destroyedAt, long putAt) {
        Entry(ContainerMetadata metadata, long destroyedAt) {
            this(metadata, destroyedAt, System.nanoTime());
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Keys of destroyed containers still kept, oldest first. */
    private final ArrayDeque<String> destroyed = new ArrayDeque<>();

    private static String key(DockerDaemon daemon, String id) {
        return daemon.key() + "/" + id;
    }

    public void put(DockerDaemon daemon, ContainerMetadata m) {
        // an inspect that answered just before the destroy must not bring the container back for good
        entries.merge(key(daemon, m.id()), new Entry(m, 0), (old, fresh) -> new Entry(fresh.metadata(), old.destroyedAt()));
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
                destroyed(k, () -> ContainerMetadata.fromEventActor(ev.path("Actor")));
            }
        };
    }

    private void destroyed(String k, java.util.function.Supplier<ContainerMetadata> ifUnknown) {
        long now = System.nanoTime();
        Entry before = entries.get(k);
        if (before != null && before.destroyedAt() != 0) {
            return;
        }
        entries.put(k, new Entry(before != null ? before.metadata() : ifUnknown.get(), now));
        synchronized (destroyed) {
            destroyed.addLast(k);
            expire(now);
        }
    }

    /** Drops destroyed containers' entries past the bounds; called with {@code destroyed} held. */
    private void expire(long now) {
        while (!destroyed.isEmpty()) {
            String oldest = destroyed.peekFirst();
            Entry e = entries.get(oldest);
            boolean gone = e == null || e.destroyedAt() == 0;
            if (!gone && destroyed.size() <= MAX_DESTROYED_KEPT && now - e.destroyedAt() <= KEEP_AFTER_DESTROY_NANOS) {
                return;
            }
            destroyed.removeFirst();
            if (!gone) {
                entries.remove(oldest);
            }
        }
    }

    /**
     * After a full listing of the daemon's containers (taken at {@code listedAtNanos}): the others
     * cached before it were removed while their destroy event was not seen (the collector stopped,
     * the link down, the event dropped), and are treated as destroyed now.
     */
    public void retainOnly(DockerDaemon daemon, Set<String> existingIds, long listedAtNanos) {
        String prefix = daemon.key() + "/";
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            String k = e.getKey();
            Entry v = e.getValue();
            // an entry cached after the listing may be of a container created after it
            if (k.startsWith(prefix) && v.destroyedAt() == 0 && v.putAt() - listedAtNanos < 0
                    && !existingIds.contains(k.substring(prefix.length()))) {
                destroyed(k, () -> null);
            }
        }
    }

    public int size() {
        return entries.size();
    }

    /** Used by tests to tell whether an inspect answer would be needed. */
    boolean contains(DockerDaemon daemon, String id) {
        return entries.containsKey(key(daemon, id));
    }

}
