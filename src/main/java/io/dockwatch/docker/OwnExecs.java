package io.dockwatch.docker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exec instances the collector made itself (to read files inside containers), known by the ID
 * each exec create answered, never by their command: their {@code exec_create}, {@code exec_start}
 * and {@code exec_die} events are left out of the record, and every other exec is recorded, however
 * much its command looks like the collector's.
 *
 * <pre>
 *  reader thread                     daemon                        events worker
 *  creating(container) ──────────►   POST /containers/{id}/exec
 *                                    ├─ event exec_create ───────► unknown ID, a create in flight
 *  created(execId) ◄───────────────  └─ answer {Id}                 on that container: wait for it
 *  (creation closed) ─────────────────────────────────────────────► own ID → left out
 *                                    POST /exec/{id}/start
 *                                    ├─ event exec_start ────────► own ID → left out
 *                                    └─ event exec_die ──────────► own ID → left out, forgotten
 * </pre>
 *
 * The create's event may reach the events worker before its answer reaches the reader, so a
 * create is announced before it is sent; an {@code exec_create} on a container with a create in
 * flight waits for the answer (at most {@code timeoutMs}, only then). Events after the events
 * checkpoint are replayed at the next start: the IDs are appended to a small file in the state
 * dir as they are made, so the next run still knows the last run's execs. The file is rewritten
 * with only the open IDs when it grows; at most {@value #MAX_OPEN} IDs are held (an events
 * source that does not run never forgets them: the oldest go first).
 */
public final class OwnExecs {
    private static final Logger LOG = LoggerFactory.getLogger(OwnExecs.class);
    static final int MAX_OPEN = 4096;
    private static final int COMPACT_SLACK = 64;
    private static final Pattern EXEC_ID = Pattern.compile("[0-9a-f]{64}");

    /** A create in flight: {@link #created} names its ID; closing it ends the wait of the events worker. */
    public interface Creation extends AutoCloseable {
        void created(String execId);

        @Override
        void close();
    }

    private final Path file;
    private final LinkedHashSet<String> open = new LinkedHashSet<>();
    private final Map<String, Integer> creating = new HashMap<>();
    private FileChannel out;
    private int linesInFile;
    private boolean writeFailureLogged;

    /** @param file where the IDs are kept across restarts; null keeps them in memory only */
    public OwnExecs(Path file) {
        this.file = file;
        if (file != null) {
            load();
        }
    }

    private void load() {
        try {
            if (Files.exists(file)) {
                // a torn last line after a crash is not an ID and is skipped
                List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
                for (String l : lines.subList(Math.max(0, lines.size() - MAX_OPEN), lines.size())) {
                    if (EXEC_ID.matcher(l).matches()) {
                        open.add(l);
                    }
                }
            }
            rewrite();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot read the collector's own exec IDs from {} ({}); its execs from before this start may be "
                    + "recorded as events", file, e.toString());
        }
    }

    private static String key(String daemonKey, String containerId) {
        return daemonKey + "/" + containerId;
    }

    /** Announces a create on this container; call before the request is sent. */
    public Creation creating(String daemonKey, String containerId) {
        String k = key(daemonKey, containerId);
        synchronized (this) {
            creating.merge(k, 1, Integer::sum);
        }
        return new Creation() {
            private boolean closed;

            @Override
            public void created(String execId) {
                add(execId);
            }

            @Override
            public void close() {
                synchronized (OwnExecs.this) {
                    if (!closed) {
                        closed = true;
                        creating.computeIfPresent(k, (kk, n) -> n == 1 ? null : n - 1);
                        OwnExecs.this.notifyAll();
                    }
                }
            }
        };
    }

    private synchronized void add(String execId) {
        if (execId == null || execId.isEmpty()) {
            return;
        }
        open.add(execId);
        if (open.size() > MAX_OPEN) {
            Iterator<String> oldest = open.iterator();
            oldest.next();
            oldest.remove();
        }
        append(execId);
    }

    /** True if the collector made this exec; for {@code exec_start} and {@code exec_die}. */
    public synchronized boolean isOwn(String execId) {
        return open.contains(execId);
    }

    /**
     * For {@code exec_create}: true if the collector made this exec, waiting for creates still in
     * flight on the same container, whose answer may not have arrived yet.
     */
    public synchronized boolean awaitOwn(String daemonKey, String containerId, String execId, long timeoutMs) {
        String k = key(daemonKey, containerId);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!open.contains(execId) && creating.containsKey(k)) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                break;
            }
            try {
                wait(leftMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return open.contains(execId);
    }

    /** The exec's last event was seen: nothing more will name it. */
    public synchronized void finished(String execId) {
        if (open.remove(execId) && file != null && linesInFile > 2 * open.size() + COMPACT_SLACK) {
            try {
                rewrite();
            } catch (IOException e) {
                writeFailed(e);
            }
        }
    }

    /** How many IDs are held (for tests and bounds). */
    public synchronized int size() {
        return open.size();
    }

    private void append(String execId) {
        if (file == null) {
            return;
        }
        try {
            if (out == null) {
                Files.createDirectories(file.getParent());
                out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            ByteBuffer b = ByteBuffer.wrap((execId + "\n").getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                out.write(b);
            }
            linesInFile++;
            if (linesInFile > 2 * open.size() + COMPACT_SLACK) {
                rewrite();
            }
        } catch (IOException e) {
            writeFailed(e);
        }
    }

    /** The file again with only the open IDs: it stays about as small as what is open. */
    private void rewrite() throws IOException {
        closeOut();
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        StringBuilder sb = new StringBuilder(open.size() * 65);
        open.forEach(id -> sb.append(id).append('\n'));
        Files.writeString(tmp, sb, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        linesInFile = open.size();
    }

    private void writeFailed(IOException e) {
        closeOut();
        if (!writeFailureLogged) {
            writeFailureLogged = true;
            LOG.warn("Cannot write the collector's own exec IDs to {} ({}); after a restart a few of its execs may be "
                    + "recorded as events", file, e.getMessage());
        }
    }

    private void closeOut() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // reopened on the next append
            }
            out = null;
        }
    }

    public synchronized void close() {
        closeOut();
    }
}
