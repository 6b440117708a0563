package io.dockwatch.source.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread reads every container log stream that has a selectable connection (a unix socket
 * or plain TCP; TLS streams keep a thread each): a container that prints nothing costs no thread
 * and no buffer, only its socket, and all streams are read through one shared buffer.
 *
 * <p>Docker writes each log entry on its own, so a reader that keeps up would wake once per line
 * (and dockerd would pay for each wake-up). A read short of {@link #CAUGHT_UP_BYTES} means the
 * loop caught up with that stream: it stops watching the stream for
 * {@link #CATCH_UP_PAUSE_NANOS}, so that the next read takes many lines; a stream that delivers
 * a lot is read again at once.
 * Lines are emitted in batches (by the follower, and by the consumer's ticker for a batch that
 * waited its linger), so the pause adds at most a couple of milliseconds.
 */
final class LogReadLoop implements Runnable, AutoCloseable {
    private record Paused(SelectionKey key, long resumeAt) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(LogReadLoop.class);
    static final int CAUGHT_UP_BYTES = 8 * 1024;
    static final long CATCH_UP_PAUSE_NANOS = 2_000_000L;
    private static final int SHARED_BUFFER_BYTES = 256 * 1024;

    private final Selector selector;
    private final Queue<LogFollower> added = new ConcurrentLinkedQueue<>();
    private final ByteBuffer shared = ByteBuffer.allocate(SHARED_BUFFER_BYTES);
    /** Streams left alone for a while (caught up, or flooding while the output is behind), soonest due first. */
    private final java.util.PriorityQueue<Paused> paused =
            new java.util.PriorityQueue<>(java.util.Comparator.comparingLong(Paused::resumeAt));
    /** How long a flooding stream is left alone after a full read: 0 while the output keeps up. */
    private final java.util.function.LongSupplier floodPauseNanos;
    private final Thread thread;
    private volatile boolean running = true;

    LogReadLoop(String threadName) {
        this(threadName, () -> 0L);
    }

    LogReadLoop(String threadName, java.util.function.LongSupplier floodPauseNanos) {
        this.floodPauseNanos = floodPauseNanos;
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a selector for the log streams", e);
        }
        thread = new Thread(this, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Takes over reading the follower's open stream; the follower hears of its end or failure. */
    void add(LogFollower follower) {
        added.add(follower);
        selector.wakeup();
    }

    /** Streams being read now (metrics and tests). */
    int streams() {
        try {
            return selector.keys().size();
        } catch (ClosedSelectorException e) {
            return 0;
        }
    }

    @Override
    public void run() {
        try {
            while (running) {
                selectUntilReadyOrResume();
                registerAdded();
                for (SelectionKey key : selector.selectedKeys()) {
                    int n = read(key);
                    if (n < 0 || !key.isValid()) {
                        continue;
                    }
                    if (n < CAUGHT_UP_BYTES) {
                        pause(key, CATCH_UP_PAUSE_NANOS); // caught up with this stream: let lines gather
                    } else {
                        // a busy stream (more than a caught-up read) waits its turn while the sinks
                        // are behind, so that a quiet container's line is not queued behind the
                        // flood in the spool (a flood's reads are as large as the socket buffer
                        // holds, often below the shared buffer's size)
                        long wait = floodPauseNanos.getAsLong();
                        if (wait > 0) {
                            pause(key, wait);
                        }
                    }
                }
                selector.selectedKeys().clear();
                resumeDue();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                LOG.error("Log stream reader stopped: {}", e.toString());
            }
        }
    }

    /** Waits for a readable stream, at most until the first paused stream is due again. */
    private void selectUntilReadyOrResume() throws IOException {
        Paused first = paused.peek();
        if (first == null) {
            selector.select(1000);
            return;
        }
        long waitNanos = first.resumeAt() - System.nanoTime();
        if (waitNanos <= 0) {
            selector.selectNow();
        } else {
            selector.select(Math.max(1, waitNanos / 1_000_000));
        }
    }

    private void pause(SelectionKey key, long nanos) {
        key.interestOps(0);
        paused.add(new Paused(key, System.nanoTime() + nanos));
    }

    private void resumeDue() {
        long now = System.nanoTime();
        Paused p;
        while ((p = paused.peek()) != null && p.resumeAt() - now <= 0) {
            paused.poll();
            if (p.key().isValid()) {
                p.key().interestOps(SelectionKey.OP_READ);
            }
        }
    }

    private void registerAdded() {
        LogFollower f;
        while ((f = added.poll()) != null) {
            try {
                var ch = f.selectableChannel();
                ch.configureBlocking(false);
                SelectionKey key = ch.register(selector, SelectionKey.OP_READ, f);
                // what came with the response head is read now: the socket may not stir again for a while
                read(key);
            } catch (IOException | RuntimeException e) {
                f.streamFailed(e); // closed meanwhile (stopped), or refused
            }
        }
    }

    /** Reads what the key's stream has; its end or failure is handed back to its follower. */
    private int read(SelectionKey key) {
        LogFollower f = (LogFollower) key.attachment();
        try {
            int n = f.readAvailable(shared);
            if (n < 0) {
                key.cancel();
                f.streamEnded();
            }
            return n;
        } catch (IOException | RuntimeException e) {
            key.cancel();
            f.streamFailed(e);
            return -1;
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
