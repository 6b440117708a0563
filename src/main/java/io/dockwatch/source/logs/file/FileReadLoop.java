package io.dockwatch.source.logs.file;

import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread polls every container log read from files. A file has no readiness to wait for, so
 * each is looked at again after a pause that grows while it has nothing new (5 ms doubling to
 * 200 ms) and is short while it has (2 ms, so that the next read takes many lines at once, as the
 * API read loop does). A file quiet for {@link #LONG_QUIET_NANOS} is looked at once a second: a
 * poll is a read and a stat, and a thousand quiet containers polled five times a second cost
 * 18 % of a core (measured, docs/operations.md); once a second, their next line waits at most a
 * second, within the 2 s a quiet container's line may take.
 */
public final class FileReadLoop implements Runnable, AutoCloseable {
    /** A log being read from files. */
    public interface Tail {
        /** Reads what is there with the loop's buffers; the bytes read, 0 when caught up, or -1 once done with (not polled again). */
        int poll(ReadBuffers buffers);
    }

    private static final Logger LOG = LoggerFactory.getLogger(FileReadLoop.class);
    static final long BUSY_PAUSE_NANOS = 2_000_000L;
    static final long FIRST_IDLE_PAUSE_NANOS = 5_000_000L;
    static final long MAX_IDLE_PAUSE_NANOS = 200_000_000L;
    /** Quiet this long, a file is polled every {@link #LONG_QUIET_PAUSE_NANOS}. */
    static final long LONG_QUIET_NANOS = 10_000_000_000L;
    static final long LONG_QUIET_PAUSE_NANOS = 1_000_000_000L;
    /** Read per poll at most, so that one busy container leaves time for the others. */
    public static final int MAX_BYTES_PER_POLL = 1024 * 1024;
    /**
     * Read at a time within a poll, the lines then handed on before more are read: a batch stays
     * a few hundred records, as on the API path, however far behind the file is.
     */
    public static final int READ_CHUNK_BYTES = 64 * 1024;

    private static final class Due implements Comparable<Due> {
        final Tail tail;
        long at;
        long idlePause = FIRST_IDLE_PAUSE_NANOS;
        /** When the last poll found something. */
        long lastDataAt;

        Due(Tail tail, long at) {
            this.tail = tail;
            this.at = at;
            this.lastDataAt = at;
        }

        @Override
        public int compareTo(Due o) {
            return Long.compare(at, o.at);
        }
    }

    private final ConcurrentLinkedQueue<Tail> added = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Tail> wakeUps = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Due> due = new PriorityQueue<>();
    /** Made when the first log arrives: a loop with nothing to read holds no buffer. */
    private ReadBuffers buffers;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int size;
    /** How long a log that filled a whole poll waits while the sinks are behind (0 while they keep up), as the API read loops do. */
    private final java.util.function.LongSupplier floodPauseNanos;

    public FileReadLoop(String threadName, java.util.function.LongSupplier floodPauseNanos) {
        this.floodPauseNanos = floodPauseNanos;
        thread = new Thread(this, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    public void add(Tail tail) {
        added.add(tail);
        LockSupport.unpark(thread);
    }

    /** Polls the tail soon (something happened to its container). */
    public void wakeUp(Tail tail) {
        wakeUps.add(tail);
        LockSupport.unpark(thread);
    }

    /** Logs being read now. */
    public int size() {
        return size;
    }

    @Override
    public void run() {
        while (running) {
            long now = System.nanoTime();
            Tail t;
            while ((t = added.poll()) != null) {
                due.add(new Due(t, now));
                if (buffers == null) {
                    buffers = new ReadBuffers();
                }
            }
            while ((t = wakeUps.poll()) != null) {
                for (Due d : due) {
                    if (d.tail == t && d.at > now) {
                        due.remove(d);
                        d.at = now;
                        d.idlePause = FIRST_IDLE_PAUSE_NANOS;
                        d.lastDataAt = now;
                        due.add(d);
                        break;
                    }
                }
            }
            size = due.size();
            Due d = due.peek();
            if (d == null) {
                LockSupport.parkNanos(MAX_IDLE_PAUSE_NANOS);
                continue;
            }
            if (d.at - now > 0) {
                LockSupport.parkNanos(d.at - now);
                continue;
            }
            due.poll();
            int n;
            try {
                n = d.tail.poll(buffers);
            } catch (RuntimeException e) {
                LOG.warn("Log file reader failed: {}", e.toString()); // the tail reports its own errors; this is a bug
                n = -1;
            }
            if (n < 0) {
                continue;
            }
            if (n > 0) {
                d.idlePause = FIRST_IDLE_PAUSE_NANOS;
                d.lastDataAt = System.nanoTime();
                // a flood waits its turn while the sinks are behind, so a quiet container's line is not queued behind it
                d.at = System.nanoTime() + (n >= MAX_BYTES_PER_POLL ? floodPauseNanos.getAsLong() : BUSY_PAUSE_NANOS);
            } else {
                long polled = System.nanoTime();
                d.at = polled + d.idlePause;
                d.idlePause = Math.min(polled - d.lastDataAt >= LONG_QUIET_NANOS ? LONG_QUIET_PAUSE_NANOS : MAX_IDLE_PAUSE_NANOS,
                        d.idlePause * 2);
            }
            due.add(d);
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
    }
}
