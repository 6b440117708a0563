package io.dockwatch.source.logs;

import io.dockwatch.docker.LogStreamFrames;
import io.dockwatch.record.Utf8;
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
 * ({@link Utf8#validCopy}), so every record is valid JSON.
 *
 * <p>For checkpoints, the parser counts entries: after each line it reports the timestamp of the
 * last entry consumed and how many entries carried that timestamp, which is exactly what a resumed
 * read with {@code since=<timestamp>} has to skip.
 */
final class LogEntryParser implements LogStreamFrames.EntryHandler {
    /** Docker's split size for long lines (daemon/logger/copier.go). */
    static final int PARTIAL_CHUNK_BYTES = 16 * 1024;
    private static final int TIMESTAMP_MIN = 20; // 2006-01-02T15:04:05Z
    /** A joining buffer kept between lines: two of Docker's pieces, not a whole long line. */
    private static final int KEEP_PARTIAL_BYTES = 2 * PARTIAL_CHUNK_BYTES;

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
    private final int maxLineBytes;
    private final LogStreamFrames frames;
    /** The buffer of the entry being handled. */
    private byte[] buf;
    // split lines being joined, per stream (index 1 stdout, 2 stderr; tty uses 1)
    private final Partial[] partial = {null, new Partial(), new Partial()};
    private String lastTs;
    private int countAtLastTs;
    private long entries;

    private static final class Partial {
        byte[] bytes = new byte[0];
        int len;
        String ts;
        /** A piece was just delivered at the cap: the line may have ended exactly there. */
        boolean cutAtCap;

        boolean open() {
            return ts != null;
        }

        void append(byte[] b, int off, int n, int maxLineBytes) {
            if (len + n > bytes.length) {
                // doubling, but not past the cap: a piece is at most the cap and one entry
                bytes = java.util.Arrays.copyOf(bytes, Math.max(len + n, Math.min(bytes.length * 2, maxLineBytes)));
            }
            System.arraycopy(b, off, bytes, len, n);
            len += n;
        }

        void reset() {
            ts = null;
            len = 0;
            if (bytes.length > KEEP_PARTIAL_BYTES) {
                bytes = new byte[0]; // a follower keeps no long line's buffer once it is out
            }
        }
    }

    LogEntryParser(boolean tty, int maxLineBytes, LineSink sink) {
        this.tty = tty;
        this.sink = sink;
        this.maxLineBytes = maxLineBytes;
        this.frames = new LogStreamFrames(tty, this);
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
            if (partial[s].open()) {
                emitPartial(s);
            }
        }
    }

    @Override
    public void entry(int stream, byte[] b, int off, int len) {
        buf = b;
        if (stream == LogStreamFrames.TTY) {
            entry(1, off, len, "tty");
        } else {
            entry(stream, off, len, stream == LogStreamFrames.STDERR ? "stderr" : "stdout");
        }
    }

    private void entry(int stream, int off, int len, String streamName) {
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
        Partial p = partial[stream];
        boolean afterCut = p.cutAtCap;
        p.cutAtCap = false;
        if (afterCut && newline && msgLen == 0) {
            return; // the line ended exactly at a piece's cut: its newline is no line of its own
        }
        if (!newline && msgLen >= PARTIAL_CHUNK_BYTES) {
            if (!p.open()) {
                p.ts = ts;
            }
            p.append(buf, msgOff, msgLen, maxLineBytes);
            if (p.len >= maxLineBytes) {
                // bounded memory: an endless line comes out in pieces, each cut after a whole
                // entry, so the position after it is exact
                emitPartial(stream);
                p.cutAtCap = true;
            }
            return;
        }
        String lineTs = ts;
        byte[] message;
        if (p.open()) {
            p.append(buf, msgOff, msgLen, maxLineBytes);
            lineTs = p.ts;
            message = Utf8.validCopy(p.bytes, 0, p.len);
            p.reset();
        } else {
            message = Utf8.validCopy(buf, msgOff, msgLen);
        }
        deliver(streamName, lineTs, message);
    }

    private void emitPartial(int stream) {
        Partial p = partial[stream];
        byte[] message = Utf8.validCopy(p.bytes, 0, p.len);
        String ts = p.ts;
        p.reset();
        deliver(tty ? "tty" : stream == 2 ? "stderr" : "stdout", ts, message);
    }

    private void deliver(String stream, String ts, byte[] message) {
        boolean open = partial[1].open() || partial[2].open();
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
