package io.dockwatch.source.swarm;

import io.dockwatch.docker.LogStreamFrames;
import io.dockwatch.record.Utf8;
import io.dockwatch.source.logs.line.LineAssembler;
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
 * (frames, or a TTY's raw entries). Docker's 16 KiB pieces of a long line are joined per task by
 * the container log source's {@link LineAssembler}, up to {@link LogStreamFrames#MAX_LINE_BYTES}:
 * a longer line is delivered in pieces, each cut after a whole entry. Entries already delivered before a resume
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

    /** A task's stream while one of its long lines is being joined (see {@link LineAssembler}). */
    private static final class Joining {
        final LineAssembler lines = new LineAssembler(LogStreamFrames.MAX_LINE_BYTES);
        /** Entries of the line so far: the last one's timestamp and how many in a row carried it. */
        String lastTs;
        int countAtLastTs;

        void count(String entryTs) {
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
    /** By task and stream, only while a line is being joined (tasks come and go; nothing is kept for them). */
    private final Map<String, Joining> joining = new HashMap<>();
    // the entry being handled, for the line it completes
    private String taskId;
    private String nodeId;
    private String streamName;
    private Joining current;
    private final LineAssembler.Line deliver = this::deliver;

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
        Joining j = joining.get(partKey);
        if (j == null) {
            if (newline || msgLen < PARTIAL_CHUNK_BYTES) {
                sink.entry(new Entry(ts, taskId, nodeId, streamName, text(buf, msgOff, msgLen))); // nearly every line
                return;
            }
            j = new Joining();
            joining.put(partKey, j);
        }
        j.count(ts);
        this.taskId = taskId;
        this.nodeId = nodeId;
        this.streamName = streamName;
        this.current = j;
        j.lines.entry(ts, buf, msgOff, msgLen, newline, deliver);
        if (j.lines.idle()) {
            joining.remove(partKey);
        }
    }

    private void deliver(String ts, byte[] message) {
        Joining j = current;
        sink.entry(new Entry(ts, taskId, nodeId, streamName, Utf8.text(message), j.lastTs, j.countAtLastTs));
        j.lastTs = null;
        j.countAtLastTs = 0;
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
