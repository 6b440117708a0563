package io.dockwatch.source.swarm;

import io.dockwatch.docker.LogStreamFrames;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of {@code /services/{id}/logs?timestamps=1&details=1} into entries: timestamp,
 * the task's details ({@code com.docker.swarm.node.id=…,com.docker.swarm.service.id=…,
 * com.docker.swarm.task.id=…}), stream and message.
 *
 * <p>The manager merges the tasks' streams as they arrive, so entries are in order per task, not
 * across tasks: positions are kept per task. {@link LogStreamFrames} splits the stream into entries
 * (frames, or a TTY's raw lines). Docker's 16 KiB pieces of a long line are joined per task, as
 * the container log source does.
 */
final class ServiceLogParser implements LogStreamFrames.EntryHandler {
    /** Docker's split size for long lines (daemon/logger/copier.go). */
    static final int PARTIAL_CHUNK_BYTES = 16 * 1024;
    static final String DETAIL_NODE_ID = "com.docker.swarm.node.id";
    static final String DETAIL_SERVICE_ID = "com.docker.swarm.service.id";
    static final String DETAIL_TASK_ID = "com.docker.swarm.task.id";

    /** One whole line of one task. */
    record Entry(String timestamp, String taskId, String nodeId, String stream, String message) {
    }

    interface EntrySink {
        void entry(Entry e);
    }

    private final boolean tty;
    private final EntrySink sink;
    private final LogStreamFrames frames;
    private final java.util.Map<String, StringBuilder> partial = new java.util.HashMap<>();
    private final java.util.Map<String, String> partialTs = new java.util.HashMap<>();

    ServiceLogParser(boolean tty, EntrySink sink) {
        this.tty = tty;
        this.sink = sink;
        this.frames = new LogStreamFrames(tty, this);
    }

    byte[] buffer() {
        return frames.buffer();
    }

    int writeOffset() {
        return frames.writeOffset();
    }

    void parse(int n) {
        frames.parse(n);
    }

    @Override
    public void entry(int stream, byte[] buf, int off, int len) {
        String streamName = stream == LogStreamFrames.TTY ? "tty" : stream == LogStreamFrames.STDERR ? "stderr" : "stdout";
        entry(new String(buf, off, len, StandardCharsets.UTF_8), streamName);
    }

    /** {@code <timestamp> <details> <message>[\n]} */
    private void entry(String text, String stream) {
        int sp1 = text.indexOf(' ');
        if (sp1 < 0) {
            return;
        }
        String ts = text.substring(0, sp1);
        int sp2 = text.indexOf(' ', sp1 + 1);
        String details = sp2 < 0 ? text.substring(sp1 + 1) : text.substring(sp1 + 1, sp2);
        String rest = sp2 < 0 ? "" : text.substring(sp2 + 1);
        String taskId = detail(details, DETAIL_TASK_ID);
        String nodeId = detail(details, DETAIL_NODE_ID);
        boolean newline = rest.endsWith("\n");
        if (newline) {
            rest = rest.substring(0, rest.length() - 1);
            if (tty && rest.endsWith("\r")) {
                rest = rest.substring(0, rest.length() - 1);
            }
        }
        String partKey = taskId + "|" + stream;
        StringBuilder open = partial.get(partKey);
        if (!newline && rest.getBytes(StandardCharsets.UTF_8).length >= PARTIAL_CHUNK_BYTES) {
            if (open == null) {
                partial.put(partKey, new StringBuilder(rest));
                partialTs.put(partKey, ts);
            } else {
                open.append(rest);
            }
            return;
        }
        if (open != null) {
            rest = open.append(rest).toString();
            ts = partialTs.remove(partKey);
            partial.remove(partKey);
        }
        sink.entry(new Entry(ts, taskId, nodeId, stream, rest));
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
