package io.dockwatch.docker;

import java.util.HashSet;
import java.util.Set;

/**
 * The last events a daemon's stream handed to its listeners, so an event that reaches us twice
 * (once from the live stream and once from a re-read of the daemon's ring, or again after a
 * reconnect) is dispatched once.
 *
 * <p>An event is known by its time in nanoseconds and its identity (type, action, actor): several
 * events can share a nanosecond, never one identity. The memory is a ring of {@code capacity}
 * entries, oldest forgotten first; an event older than the newest one forgotten cannot be told
 * from one delivered long ago, so it counts as delivered (never twice, at the risk of once too few).
 *
 * <p>Why {@link #CAPACITY} entries: a copy can come back while up to dockerd's channel of 1024
 * events, the socket's buffer and its ring of 256 lie between the two copies; 8192 covers that
 * with room (about 0.6 MB per daemon).
 */
final class DeliveredEvents {
    static final int CAPACITY = 8192;

    private record Key(long timeNano, String identity) {
    }

    private final Key[] ring;
    private final Set<Key> known = new HashSet<>();
    private int next;
    private int size;
    /** The newest time among the events forgotten, -1 while none was. */
    private long forgottenUpTo = -1;

    DeliveredEvents() {
        this(CAPACITY);
    }

    DeliveredEvents(int capacity) {
        this.ring = new Key[capacity];
    }

    /** Records the event; false when it was delivered already (or is too old to tell). */
    synchronized boolean add(long timeNano, String identity) {
        Key k = new Key(timeNano, identity);
        if (timeNano <= forgottenUpTo || known.contains(k)) {
            return false;
        }
        if (size == ring.length) {
            Key old = ring[next];
            known.remove(old);
            forgottenUpTo = Math.max(forgottenUpTo, old.timeNano());
        } else {
            size++;
        }
        ring[next] = k;
        next = (next + 1) % ring.length;
        known.add(k);
        return true;
    }
}
