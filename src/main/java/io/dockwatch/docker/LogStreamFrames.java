package io.dockwatch.docker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Splits the body of a Docker logs request (a container's or a service's) into its entries, and
 * owns the buffer it is read into.
 *
 * <p>Without a TTY the stream is multiplexed: each entry is one frame, an 8-byte header (stream
 * type, payload size) and the payload. With a TTY it is raw, entries back to back, each ending in
 * a newline. What an entry holds (timestamp, details, message) is the caller's business.
 */
public final class LogStreamFrames {
    /** Stream numbers as in the frame header. */
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    /** Raw TTY output has no stream of its own. */
    public static final int TTY = 0;
    /** Free space {@link #buffer()} guarantees, so a short read means little had arrived, not a full buffer. */
    public static final int MIN_FREE_BYTES = 32 * 1024;

    public interface EntryHandler {
        /**
         * One entry, {@code buf[off, off+len)}, valid only during the call. For a TTY it is one line
         * with its newline, or at {@link #finish()} the rest without one.
         */
        void entry(int stream, byte[] buf, int off, int len);
    }

    private static final int BLOCKING_READ_BYTES = 64 * 1024;
    private static final byte[] NONE = new byte[0];

    private final boolean tty;
    private final EntryHandler handler;
    /** Bytes not yet handed over, {@code buf[start, end)}: between reads only an incomplete entry. */
    private byte[] buf = NONE;
    private int start;
    private int end;

    public LogStreamFrames(boolean tty, EntryHandler handler) {
        this.tty = tty;
        this.handler = handler;
    }

    /** Buffer to read into at {@link #writeOffset()}, with at least {@value #MIN_FREE_BYTES} free. */
    public byte[] buffer() {
        if (buf.length - end < MIN_FREE_BYTES) {
            if (start > 0) {
                // only an incomplete entry is left: move it to the front
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            if (buf.length - end < MIN_FREE_BYTES) {
                buf = Arrays.copyOf(buf, Math.max(BLOCKING_READ_BYTES, Math.max(buf.length * 2, end + MIN_FREE_BYTES)));
            }
        }
        return buf;
    }

    /**
     * Reads what the stream has (its channel non-blocking) through {@code shared}, a buffer the
     * caller uses for every stream it reads: between reads a stream keeps only its incomplete
     * entry, so an idle stream costs no buffer. Returns the bytes read, 0 if none had arrived,
     * -1 at the end of the stream.
     */
    public int readFrom(DirectStream stream, ByteBuffer shared) throws IOException {
        int pending = end - start;
        if (pending + MIN_FREE_BYTES > shared.capacity()) {
            // an entry larger than the shared buffer is on its way: gather it in our own
            byte[] own = buffer();
            int n = stream.read(ByteBuffer.wrap(own, end, own.length - end));
            if (n > 0) {
                parse(n);
            }
            return n;
        }
        shared.clear();
        shared.put(buf, start, pending);
        int n = stream.read(shared);
        if (n <= 0) {
            return n;
        }
        byte[] own = buf;
        buf = shared.array();
        start = 0;
        end = shared.position();
        try {
            entries();
        } finally {
            // keep what is left (an incomplete entry) in our own, small buffer
            int left = end - start;
            if (left > own.length) {
                own = new byte[Math.max(left, 1024)];
            }
            System.arraycopy(buf, start, own, 0, left);
            buf = left == 0 && own.length > MIN_FREE_BYTES ? NONE : own;
            start = 0;
            end = left;
        }
        return n;
    }

    public int writeOffset() {
        return end;
    }

    /** {@code n} bytes were read into the buffer at the write offset: hands over every whole entry. */
    public void parse(int n) {
        end += n;
        entries();
        if (start == end) {
            start = 0;
            end = 0;
        }
    }

    private void entries() {
        if (tty) {
            lines();
        } else {
            frames();
        }
    }

    /** The stream ended: a TTY's last output without a newline is an entry too. */
    public void finish() {
        if (tty && start < end) {
            int from = start;
            start = end;
            handler.entry(TTY, buf, from, end - from);
        }
    }

    private void frames() {
        while (end - start >= 8) {
            int size = ((buf[start + 4] & 0xff) << 24) | ((buf[start + 5] & 0xff) << 16) | ((buf[start + 6] & 0xff) << 8)
                    | (buf[start + 7] & 0xff);
            if (end - start - 8 < size) {
                return; // frame not complete yet
            }
            int stream = (buf[start] & 0xff) == STDERR ? STDERR : STDOUT;
            int payload = start + 8;
            start = payload + size;
            handler.entry(stream, buf, payload, size);
        }
    }

    private void lines() {
        for (int i = start; i < end; i++) {
            if (buf[i] == '\n') {
                int from = start;
                start = i + 1;
                handler.entry(TTY, buf, from, i + 1 - from);
            }
        }
    }
}
