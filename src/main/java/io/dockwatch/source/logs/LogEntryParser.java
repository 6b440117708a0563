package io.dockwatch.source.logs;

import io.dockwatch.docker.LogStreamFrames;
import io.dockwatch.source.logs.line.LineAssembler;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of a {@code /containers/{id}/logs?timestamps=1} response into whole lines.
 *
 * <p>{@link LogStreamFrames} splits the stream into entries (frames, or a TTY's raw entries ending
 * in {@code \r\n}); every entry starts with its RFC 3339 nano timestamp and a space.
 *
 * <p>Docker splits lines longer than 16 KiB into entries of exactly 16 KiB without a newline (TTY
 * or not); they are joined here, and the line keeps the first chunk's timestamp. A line that
 * reaches {@code maxLineBytes} is delivered as a piece, cut after a whole entry so that the
 * position after it is exact, and the rest of the line goes on in further pieces: memory stays
 * bounded however long a line is (a TTY printing with no newline at all is one endless line). An entry without a newline that
 * is shorter than that is a complete line whose writer did not end it (the last line of a
 * program, a prompt). Messages stay UTF-8 bytes; bytes that are not valid UTF-8 become U+FFFD
 * ({@link io.dockwatch.record.Utf8#validCopy}), so every record is valid JSON. The joining is
 * {@link LineAssembler}'s, shared with the file path and swarm service logs.
 *
 * <p>For checkpoints, the parser counts entries: after each line it reports the timestamp of the
 * last entry consumed and how many entries carried that timestamp, which is exactly what a resumed
 * read with {@code since=<timestamp>} has to skip.
 */
final class LogEntryParser implements LogStreamFrames.EntryHandler {
    /** Docker's split size for long lines (daemon/logger/copier.go). */
    static final int PARTIAL_CHUNK_BYTES = LineAssembler.DOCKER_CHUNK_BYTES;
    private static final int TIMESTAMP_MIN = 20; // 2006-01-02T15:04:05Z

    interface LineSink {
        /**
         * One whole line. {@code safeTs}/{@code safeCount} is a position from which a resumed read
         * repeats nothing already delivered and skips nothing not yet delivered, or null while a
         * split line of another stream is still open.
         */
        void line(String stream, String timestamp, byte[] message, String safeTs, int safeCount);
    }

    private final boolean tty;
    private final LineSink sink;
    private final LogStreamFrames frames;
    /** The buffer of the entry being handled. */
    private byte[] buf;
    // split lines being joined, per stream (index 1 stdout, 2 stderr; tty uses 1)
    private final LineAssembler[] lines;
    private final LineAssembler.Line[] outs;
    private String lastTs;
    private int countAtLastTs;
    private long entries;

    LogEntryParser(boolean tty, int maxLineBytes, LineSink sink) {
        this.tty = tty;
        this.sink = sink;
        this.frames = new LogStreamFrames(tty, this);
        this.lines = new LineAssembler[] {null, new LineAssembler(maxLineBytes), new LineAssembler(maxLineBytes)};
        String out = tty ? "tty" : "stdout";
        this.outs = new LineAssembler.Line[] {null, (ts, m) -> deliver(out, ts, m), (ts, m) -> deliver("stderr", ts, m)};
    }

    private final io.dockwatch.source.logs.file.ResumePoint resume = new io.dockwatch.source.logs.file.ResumePoint();

    /**
     * Resume after a checkpoint: the read was opened with {@code since=ts}, which Docker treats as
     * inclusive, so the first {@code count} entries stamped {@code ts} were delivered already.
     */
    void resumeAt(String ts, int count) {
        resume.resumeAt(ts, count);
    }

    private boolean alreadyDelivered(String ts) {
        return resume.alreadyDelivered(ts);
    }

    long entries() {
        return entries;
    }

    /** Buffer to read into (see {@link LogStreamFrames#buffer()}); call {@link #parse(int)} with the count read. */
    byte[] buffer() {
        return frames.buffer();
    }

    int writeOffset() {
        return frames.writeOffset();
    }

    void parse(int n) throws java.io.IOException {
        frames.parse(n);
    }

    /** Reads what a non-blocking stream has (see {@link LogStreamFrames#readFrom}). */
    int readFrom(io.dockwatch.docker.DirectStream stream, java.nio.ByteBuffer shared) throws java.io.IOException {
        return frames.readFrom(stream, shared);
    }

    /** The stream ended: what is left is the container's last output. */
    void finish() {
        frames.finish();
        for (int s = 1; s <= 2; s++) {
            lines[s].finish(outs[s]);
        }
    }

    @Override
    public void entry(int stream, byte[] b, int off, int len) {
        buf = b;
        if (stream == LogStreamFrames.TTY) {
            entry(1, off, len);
        } else {
            entry(stream == LogStreamFrames.STDERR ? 2 : 1, off, len);
        }
    }

    private void entry(int stream, int off, int len) {
        int sp = timestampEnd(off, len);
        String ts = sp > 0 ? new String(buf, off, sp - off, StandardCharsets.US_ASCII) : null;
        int msgOff = sp > 0 ? sp + 1 : off;
        int msgLen = len - (msgOff - off);
        count(ts);
        if (alreadyDelivered(ts)) {
            return;
        }
        boolean newline = msgLen > 0 && buf[msgOff + msgLen - 1] == '\n';
        if (newline) {
            msgLen--;
            if (tty && msgLen > 0 && buf[msgOff + msgLen - 1] == '\r') {
                msgLen--;
            }
        }
        lines[stream].entry(ts, buf, msgOff, msgLen, newline, outs[stream]);
    }

    private void deliver(String stream, String ts, byte[] message) {
        boolean open = lines[1].open() || lines[2].open();
        sink.line(stream, ts, message, open ? null : lastTs, countAtLastTs);
    }

    private void count(String ts) {
        entries++;
        if (ts == null) {
            return;
        }
        if (ts.equals(lastTs)) {
            countAtLastTs++;
        } else {
            lastTs = ts;
            countAtLastTs = 1;
        }
    }

    /** Index of the space after a leading RFC 3339 timestamp, or -1. */
    private int timestampEnd(int off, int len) {
        int limit = Math.min(len, 40);
        if (limit < TIMESTAMP_MIN || buf[off + 4] != '-' || buf[off + 10] != 'T') {
            return -1;
        }
        for (int i = TIMESTAMP_MIN - 1; i < limit; i++) {
            if (buf[off + i] == ' ') {
                return off + i;
            }
        }
        return -1;
    }
}
