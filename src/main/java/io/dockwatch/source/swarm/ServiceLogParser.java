package io.dockwatch.source.swarm;

import io.dockwatch.docker.LogStreamFrames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the bytes of {@code /services/{id}/logs?timestamps=1&details=1} into entries: timestamp,
 * the task's details ({@code com.docker.swarm.node.id=…,com.docker.swarm.service.id=…,
 * com.docker.swarm.task.id=…}), stream and message.
 *
 * <p>The manager merges the tasks' streams as they arrive, so entries are in order per task, not
 * across tasks: positions are kept per task. {@link LogStreamFrames} splits the stream into entries
 * (frames, or a TTY's raw entries). Docker's 16 KiB pieces of a long line are joined per task, as
 * the container log source does, up to {@link LogStreamFrames#MAX_LINE_BYTES}: a longer line is
 * delivered in pieces, each cut after a whole entry. Entries already delivered before a resume
 * are dropped one by one, before joining, so a resume inside a long line repeats no piece.
 */
final class ServiceLogParser implements LogStreamFrames.EntryHandler {
    /** Docker's split size for long lines (daemon/logger/copier.go). */
    static final int PARTIAL_CHUNK_BYTES = LogStreamFrames.DOCKER_CHUNK_BYTES;
    static final String DETAIL_NODE_ID = "com.docker.swarm.node.id";
    static final String DETAIL_SERVICE_ID = "com.docker.swarm.service.id";
    static final String DETAIL_TASK_ID = "com.docker.swarm.task.id";

    /**
     * One whole line (or one piece of a line longer than the cap) of one task; it consumed
     * {@code countAtLastTs} entries stamped {@code lastTs} at its end (a checkpoint counts entries).
     */
    record Entry(String timestamp, String taskId, String nodeId, String stream, String message, String lastTs,
            int countAtLastTs) {
        Entry(String timestamp, String taskId, String nodeId, String stream, String message) {
            this(timestamp, taskId, nodeId, stream, message, timestamp, 1);
        }
    }

    interface EntrySink {
        void entry(Entry e);

        /** Whether the raw entry of this task and time was delivered before this read (a resume). */
        default boolean alreadyDelivered(String taskId, String ts) {
            return false;
        }
    }

    /** A task's long line being joined. */
    private static final class Partial {
        final String ts;
        byte[] bytes = new byte[LogStreamFrames.DOCKER_CHUNK_BYTES * 2];
        int len;
        String lastTs;
        int countAtLastTs;

        Partial(String ts) {
            this.ts = ts;
        }

        void add(String entryTs, byte[] b, int off, int n) {
            if (len + n > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(len + n, Math.min(bytes.length * 2, LogStreamFrames.MAX_LINE_BYTES)));
            }
            System.arraycopy(b, off, bytes, len, n);
            len += n;
            if (entryTs.equals(lastTs)) {
                countAtLastTs++;
            } else {
                lastTs = entryTs;
                countAtLastTs = 1;
            }
        }
    }

    private final boolean tty;
    private final EntrySink sink;
    private final LogStreamFrames frames;
    private final Map<String, Partial> partial = new HashMap<>();

    ServiceLogParser(boolean tty, EntrySink sink) {
        this.tty = tty;
        this.sink = sink;
        this.frames = new LogStreamFrames(tty, true, this);
    }

    byte[] buffer() {
        return frames.buffer();
    }

    int writeOffset() {
        return frames.writeOffset();
    }

    void parse(int n) throws IOException {
        frames.parse(n);
    }

    /** {@code <timestamp> <details> <message>[\n]} */
    @Override
    public void entry(int stream, byte[] buf, int off, int len) {
        String streamName = stream == LogStreamFrames.TTY ? "tty" : stream == LogStreamFrames.STDERR ? "stderr" : "stdout";
        int stop = off + len;
        int sp1 = indexOf(buf, ' ', off, Math.min(stop, off + 64));
        if (sp1 < 0) {
            return;
        }
        String ts = new String(buf, off, sp1 - off, StandardCharsets.US_ASCII);
        int sp2 = indexOf(buf, ' ', sp1 + 1, stop);
        String details = new String(buf, sp1 + 1, (sp2 < 0 ? stop : sp2) - sp1 - 1, StandardCharsets.UTF_8);
        int msgOff = sp2 < 0 ? stop : sp2 + 1;
        int msgLen = stop - msgOff;
        String taskId = detail(details, DETAIL_TASK_ID);
        String nodeId = detail(details, DETAIL_NODE_ID);
        if (sink.alreadyDelivered(taskId, ts)) {
            return;
        }
        boolean newline = msgLen > 0 && buf[msgOff + msgLen - 1] == '\n';
        if (newline) {
            msgLen--;
            if (tty && msgLen > 0 && buf[msgOff + msgLen - 1] == '\r') {
                msgLen--;
            }
        }
        String partKey = taskId + "|" + streamName;
        Partial open = partial.get(partKey);
        if (!newline && msgLen >= PARTIAL_CHUNK_BYTES) {
            if (open == null) {
                open = new Partial(ts);
                partial.put(partKey, open);
            }
            open.add(ts, buf, msgOff, msgLen);
            if (open.len >= LogStreamFrames.MAX_LINE_BYTES) {
                partial.remove(partKey); // bounded memory: a piece, the rest follows
                sink.entry(new Entry(open.ts, taskId, nodeId, streamName, text(open.bytes, 0, open.len), open.lastTs,
                        open.countAtLastTs));
            }
            return;
        }
        if (open == null) {
            sink.entry(new Entry(ts, taskId, nodeId, streamName, text(buf, msgOff, msgLen)));
            return;
        }
        partial.remove(partKey);
        open.add(ts, buf, msgOff, msgLen);
        sink.entry(new Entry(open.ts, taskId, nodeId, streamName, text(open.bytes, 0, open.len), open.lastTs,
                open.countAtLastTs));
    }

    private static String text(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] b, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** A value of Docker's {@code details}: comma-separated, URL-encoded {@code key=value} pairs. */
    static String detail(String details, String key) {
        for (String pair : details.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(key)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }
}
