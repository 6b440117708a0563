package io.dockwatch.docker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Splits the body of a Docker logs request (a container's or a service's, always asked with
 * {@code timestamps=1}) into its entries, and owns the buffer it is read into.
 *
 * <p>Without a TTY the stream is multiplexed: each entry is one frame, an 8-byte header (stream
 * type, payload size) and the payload. With a TTY it is raw, entries back to back: each starts
 * with its timestamp (and with {@code details=1} the details) and a space, and ends with a
 * newline, or, for a piece of a line Docker split, after exactly {@value #DOCKER_CHUNK_BYTES}
 * message bytes where the next entry's timestamp follows. Measured on Engine 20.10 with
 * {@code yes | tr -d "\n"} on a TTY: {@code <ts> <16384 bytes><ts> <16384 bytes>...}, every
 * piece stamped with the first piece's time. What an entry holds beyond that is the caller's
 * business.
 *
 * <p>A container is untrusted input, and the daemon behind a TCP link may not be a daemon: an
 * entry is never held beyond {@link #MAX_ENTRY_BYTES}. A TTY entry with no newline and no
 * timestamp where Docker would put one is handed over at that size as it is (the rest then
 * comes as entries without a timestamp); a frame header claiming more is not a Docker log
 * stream, and the read fails with an {@link IOException} naming the size.
 */
public final class LogStreamFrames {
    /** Stream numbers as in the frame header. */
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    /** Raw TTY output has no stream of its own. */
    public static final int TTY = 0;
    /** Free space {@link #buffer()} guarantees, so a short read means little had arrived, not a full buffer. */
    public static final int MIN_FREE_BYTES = 32 * 1024;
    /** Docker's split size for long lines of the json-file and journald drivers (daemon/logger/copier.go, defaultBufSize). */
    public static final int DOCKER_CHUNK_BYTES = 16 * 1024;
    /** The split size of the local driver and of the dual-logging cache (daemon/logger/local, maxMsgLen). */
    public static final int LOCAL_DRIVER_CHUNK_BYTES = 1_000_000;
    /** Largest entry held whole: the local driver's piece with room for its timestamp and details. */
    public static final int MAX_ENTRY_BYTES = LOCAL_DRIVER_CHUNK_BYTES + 64 * 1024;
    /**
     * Longest line a log source joins from Docker's pieces; a longer one is delivered in pieces
     * of this size (a TTY that never prints a newline is one endless line), as host log files
     * are. A piece is held several times over on its way (joined, copied, serialised, spooled,
     * read back by a sink, each buffer doubling as it grows), on several read loops at once:
     * 8 MiB pieces ran the shipped 64 MiB heap out of memory with one 1 GB line; see
     * docs/logs-hardening.md.
     */
    public static final int MAX_LINE_BYTES = 1024 * 1024;
    /** RFC 3339 with nine-digit nanos in UTC, as Docker writes it (jsonmessage.RFC3339NanoFixed), and its space. */
    static final int TIMESTAMP_PREFIX_BYTES = "2006-01-02T15:04:05.000000000Z ".length();
    /** How far into an entry the end of its prefix (timestamp, details) is looked for. */
    private static final int MAX_PREFIX_BYTES = 4096;

    public interface EntryHandler {
        /**
         * One entry, {@code buf[off, off+len)}, valid only during the call: a frame's payload, or
         * a TTY entry with its newline (none for a piece of a split line, or at {@link #finish()}).
         */
        void entry(int stream, byte[] buf, int off, int len);
    }

    private static final int BLOCKING_READ_BYTES = 64 * 1024;
    private static final byte[] NONE = new byte[0];

    private final boolean tty;
    /** TTY: the entries carry Docker's details after the timestamp (a service's log). */
    private final boolean details;
    private final EntryHandler handler;
    /** Bytes not yet handed over, {@code buf[start, end)}: between reads only an incomplete entry. */
    private byte[] buf = NONE;
    private int start;
    private int end;
    // TTY: what is known of the incomplete entry at start, relative to start (the buffer moves)
    /** Where its message begins, or -1 while its prefix is not read yet. */
    private int messageAt = -1;
    /** Bytes of it known to hold no newline. */
    private int scanned;

    public LogStreamFrames(boolean tty, EntryHandler handler) {
        this(tty, false, handler);
    }

    public LogStreamFrames(boolean tty, boolean details, EntryHandler handler) {
        this.tty = tty;
        this.details = details;
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
                // an incomplete entry is at most MAX_ENTRY_BYTES: so is the buffer, plus room to read
                int wanted = Math.max(BLOCKING_READ_BYTES, Math.max(buf.length * 2, end + MIN_FREE_BYTES));
                buf = Arrays.copyOf(buf, Math.min(wanted, Math.max(end + MIN_FREE_BYTES, MAX_ENTRY_BYTES + MIN_FREE_BYTES)));
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
            // nothing left: no buffer at all, so a thousand quiet streams hold none (each used to
            // keep the last one it needed, up to 32 KiB)
            buf = left == 0 ? NONE : own;
            start = 0;
            end = left;
        }
        return n;
    }

    public int writeOffset() {
        return end;
    }

    /** {@code n} bytes were read into the buffer at the write offset: hands over every whole entry. */
    public void parse(int n) throws IOException {
        end += n;
        entries();
        if (start == end) {
            start = 0;
            end = 0;
        }
    }

    private void entries() throws IOException {
        if (tty) {
            ttyEntries();
        } else {
            frames();
        }
    }

    /** The stream ended: a TTY's last output without a newline is an entry too. */
    public void finish() {
        if (tty && start < end) {
            int from = start;
            start = end;
            messageAt = -1;
            scanned = 0;
            handler.entry(TTY, buf, from, end - from);
        }
    }

    private void frames() throws IOException {
        while (end - start >= 8) {
            long size = ((buf[start + 4] & 0xffL) << 24) | ((buf[start + 5] & 0xff) << 16) | ((buf[start + 6] & 0xff) << 8)
                    | (buf[start + 7] & 0xff);
            if (size > MAX_ENTRY_BYTES) {
                throw new IOException("Log stream frame header claims " + size + " bytes, more than the "
                        + MAX_ENTRY_BYTES + " any Docker log driver sends: not a Docker log stream");
            }
            if (end - start - 8 < size) {
                return; // frame not complete yet
            }
            int stream = (buf[start] & 0xff) == STDERR ? STDERR : STDOUT;
            int payload = start + 8;
            start = payload + (int) size;
            handler.entry(stream, buf, payload, (int) size);
        }
    }

    private void ttyEntries() {
        while (start < end) {
            if (messageAt < 0) {
                int prefix = prefixLength(buf, start, end - start);
                if (prefix == 0) {
                    return; // the prefix is not all here yet
                }
                messageAt = Math.max(prefix, 0); // none: the entry is a cut-off rest, all message
                scanned = 0;
            }
            int cut = ttyEntryEnd();
            if (cut < 0) {
                return; // incomplete, and within bounds
            }
            int from = start;
            start = cut;
            messageAt = -1;
            scanned = 0;
            handler.entry(TTY, buf, from, cut - from);
        }
    }

    /**
     * The end of the TTY entry at {@code start} (exclusive), or -1 while it may go on: the byte
     * after its newline; or where Docker cut a long line, if the next entry's timestamp is there;
     * or, past the largest piece any driver makes, the bound.
     */
    private int ttyEntryEnd() {
        int message = start + messageAt;
        int[] cuts = {message + DOCKER_CHUNK_BYTES, message + LOCAL_DRIVER_CHUNK_BYTES};
        for (int cut : cuts) {
            int from = start + Math.max(messageAt, scanned);
            int to = Math.min(end, cut);
            if (from < to) {
                int nl = indexOfNewline(buf, from, to);
                if (nl >= 0) {
                    return nl + 1;
                }
                scanned = to - start;
            }
            if (end < cut) {
                return -1; // the piece may still end in a newline
            }
            if (end - cut < TIMESTAMP_PREFIX_BYTES) {
                return -1; // is a timestamp next? not all here yet
            }
            if (isTimestamp(buf, cut)) {
                return cut;
            }
        }
        // no Docker layout we know: hand over the bounded piece as it is
        return message + LOCAL_DRIVER_CHUNK_BYTES;
    }

    /**
     * Length of the prefix (timestamp, space; with details also they and a space) of a TTY entry
     * starting at {@code off}; 0 if more bytes are needed to tell; -1 if it has none (the rest of
     * an entry cut at the bound).
     */
    private int prefixLength(byte[] b, int off, int len) {
        if (len < TIMESTAMP_PREFIX_BYTES) {
            return looksLikeTimestampSoFar(b, off, len) ? 0 : -1;
        }
        if (!isTimestamp(b, off)) {
            return -1;
        }
        if (!details) {
            return TIMESTAMP_PREFIX_BYTES;
        }
        int limit = Math.min(len, MAX_PREFIX_BYTES);
        for (int i = TIMESTAMP_PREFIX_BYTES; i < limit; i++) {
            if (b[off + i] == ' ') {
                return i + 1;
            }
            if (b[off + i] == '\n') {
                return TIMESTAMP_PREFIX_BYTES; // no details after all
            }
        }
        return len < MAX_PREFIX_BYTES ? 0 : TIMESTAMP_PREFIX_BYTES;
    }

    private static final String TIMESTAMP_SHAPE = "dddd-dd-ddTdd:dd:dd.dddddddddZ ";

    /** Whether {@code b[off, off+TIMESTAMP_PREFIX_BYTES)} is a timestamp as Docker writes it, and its space. */
    static boolean isTimestamp(byte[] b, int off) {
        return looksLikeTimestampSoFar(b, off, TIMESTAMP_PREFIX_BYTES);
    }

    private static boolean looksLikeTimestampSoFar(byte[] b, int off, int len) {
        for (int i = 0; i < len && i < TIMESTAMP_PREFIX_BYTES; i++) {
            char shape = TIMESTAMP_SHAPE.charAt(i);
            byte c = b[off + i];
            if (shape == 'd' ? c < '0' || c > '9' : c != shape) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfNewline(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
