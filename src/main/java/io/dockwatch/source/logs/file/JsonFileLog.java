package io.dockwatch.source.logs.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Reads one container's log from the files of Docker's {@code json-file} driver, the same entries
 * the logs API serves (dockerd reads these very files for it), without dockerd in between.
 *
 * <pre>
 *  &lt;id&gt;-json.log          written now                      ┐
 *  &lt;id&gt;-json.log.1        the one before (.1.gz compressed) │ max-file of them; at max-size the
 *  &lt;id&gt;-json.log.2[.gz]   older                            │ written file is renamed to .1, the
 *  ...                                                     ┘ others move up one, the last goes
 * </pre>
 *
 * The file being read is held open, so a rename, compression (which deletes {@code .1} once
 * {@code .1.gz} is written) or the container's removal does not take it away: once the file
 * under the live name is another one, what is left of the held one is read, then the next file of
 * the chain, found by its file key (plain siblings) or by its last timestamp and size (a
 * compressed one: the gzip header carries the file's last timestamp, its trailer the size).
 *
 * <p>Each line is one entry: {@code {"log":"<JSON-escaped text>","stream":"stdout","time":"..."}}.
 * The escaped text is copied as it is when it holds no escape besides the final {@code \n} (nearly
 * every line), and decoded otherwise. Docker cuts lines over 16 KiB into entries without a
 * newline; they are joined as the API path joins them (see {@link LineJoiner}).
 *
 * <p>Positions are the API path's: the timestamp of the last entry and how many entries in a row
 * carried it, with timestamps in Docker's fixed 9-digit form (the files trim trailing zeros), so
 * a checkpoint taken on either path resumes on the other.
 */
public final class JsonFileLog implements LogFileReader {
    private static final byte[] LOG_START = ascii("{\"log\":\"");
    private static final byte[] STREAM_KEY = ascii("\"stream\":\"");
    private static final byte[] TIME_KEY = ascii("\"time\":\"");
    /** Longest entry line accepted: a 16 KiB chunk escaped as \\u00XX throughout (96 KiB), with room to spare. */
    static final int MAX_ENTRY_BYTES = 256 * 1024;

    /** Where a read without a checkpoint starts. */
    public record Start(String afterTs, int afterCount, int tail) {
        public static Start all() {
            return new Start(null, 0, -1);
        }

        /** After the first {@code count} entries stamped {@code ts}, and everything stamped earlier. */
        public static Start after(String ts, int count) {
            return new Start(ts, count, -1);
        }

        /** Entries stamped at or after this second. */
        public static Start since(long epochSecond) {
            return new Start(Timestamps.fixed(java.time.Instant.ofEpochSecond(epochSecond)), 0, -1);
        }

        /** The last {@code lines} entries. */
        public static Start tail(int lines) {
            return new Start(null, 0, lines);
        }
    }

    private final Path livePath;
    private final LineJoiner joiner;
    private final boolean tty;

    private ReadableByteChannel in;
    /** File key of the plain file being read (null for a compressed one). */
    private Object inKey;
    /** Bytes of entries read from the current file (uncompressed). */
    private long inBytes;
    /** The current file is known not to be the live one any more: at its end, go on to the next. */
    private boolean rotatedAway;
    /** The start of a line not yet written whole, kept between reads (the read buffer is lent). */
    private byte[] carry = new byte[0];
    private int carryLen;
    /** Lent for the duration of one read. */
    private ReadBuffers buffers;
    private ReadBuffers ownBuffers;

    // position: the API path's (timestamp, entries in a row with it)
    private String lastTs;
    private int countAtLastTs;
    private final ResumePoint resume = new ResumePoint();
    private long skipEntries;
    private long skippedBroken;

    private JsonFileLog(Path livePath, boolean tty, int maxLineBytes, LineSink sink) {
        this.livePath = livePath;
        this.tty = tty;
        this.joiner = new LineJoiner(tty, maxLineBytes, sink);
    }

    /** Opens a container's log at {@code start}; {@code livePath} is inspect's {@code LogPath}. */
    public static JsonFileLog open(Path livePath, boolean tty, int maxLineBytes, Start start, LineSink sink)
            throws IOException {
        JsonFileLog log = new JsonFileLog(livePath, tty, maxLineBytes, sink);
        log.seek(start);
        return log;
    }

    private void seek(Start start) throws IOException {
        LogFileChain chain = LogFileChain.list(livePath);
        if (chain.size() == 0) {
            throw new NoSuchFileException(livePath.toString(), null, "no log file (the container is gone)");
        }
        int from = 0;
        if (start.afterTs() != null) {
            resume.resumeAt(start.afterTs(), start.afterCount());
            from = chain.firstEndingAtOrAfter(start.afterTs());
        } else if (start.tail() >= 0) {
            long wanted = start.tail();
            long newer = 0;
            from = chain.size() - 1;
            for (int i = chain.size() - 1; i >= 0; i--) {
                long n = chain.countEntries(i);
                from = i;
                if (newer + n >= wanted) {
                    skipEntries = newer + n - wanted;
                    break;
                }
                newer += n;
            }
        }
        openFile(chain, from);
    }

    private void openFile(LogFileChain chain, int index) throws IOException {
        closeInput();
        Path p = chain.path(index);
        if (chain.compressed(index)) {
            InputStream raw = Files.newInputStream(p);
            in = Channels.newChannel(new GZIPInputStream(raw, 64 * 1024));
            inKey = null;
            rotatedAway = true;
        } else {
            // the key is read around the open: a rename between the two would pair the wrong file
            for (int attempt = 0;; attempt++) {
                Object before = fileKey(p);
                FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
                Object after = fileKey(p);
                if (before != null && before.equals(after) || attempt == 3) {
                    in = ch;
                    inKey = after;
                    break;
                }
                ch.close();
            }
            rotatedAway = !chain.isLive(index);
        }
        inBytes = 0;
    }

    /**
     * Reads and hands over the whole lines that are there, up to about {@code maxBytes}, going on
     * through rotated files. Returns the bytes read; 0 when caught up with the live file.
     */
    public int read(int maxBytes, ReadBuffers lent) throws IOException {
        buffers = lent;
        byte[] buf = lent.read;
        System.arraycopy(carry, 0, buf, 0, carryLen);
        int len = carryLen;
        int total = 0;
        try {
            while (total < maxBytes) {
                if (len == buf.length) {
                    // no json-file entry line is this long (a damaged file): skip it up to its newline
                    skippedBroken++;
                    len = 0;
                }
                int room = Math.min(buf.length - len, Math.max(4096, maxBytes - total));
                int n = in.read(ByteBuffer.wrap(buf, len, room));
                if (n > 0) {
                    len = parseLines(buf, len + n);
                    total += n;
                    continue;
                }
                if (!caughtUpOrNext()) {
                    break;
                }
            }
        } finally {
            keepCarry(buf, len);
            buffers = null;
        }
        return total;
    }

    /** {@link #read(int, ReadBuffers)} with buffers of its own (tests, one-off reads). */
    public int read(int maxBytes) throws IOException {
        if (ownBuffers == null) {
            ownBuffers = new ReadBuffers();
        }
        return read(maxBytes, ownBuffers);
    }

    private void keepCarry(byte[] buf, int len) {
        if (len > carry.length || carry.length > 64 * 1024 && len < carry.length / 4) {
            carry = new byte[len];
        }
        System.arraycopy(buf, 0, carry, 0, len);
        carryLen = len;
    }

    /** At the end of the current file: true to read on (more of it, or the next file), false when caught up. */
    private boolean caughtUpOrNext() throws IOException {
        if (!rotatedAway) {
            Object live = fileKeyOrNull(livePath);
            if (live != null && live.equals(inKey)) {
                return false; // caught up with the file being written
            }
            // renamed after its last write: read what is left of it, then go on
            rotatedAway = true;
            return true;
        }
        return openNext();
    }

    /** The log ends here (the container is gone or stopped): what is still being joined is delivered. */
    public void finish() {
        joiner.finish(lastTs, countAtLastTs);
    }

    /** Entry lines that were not Docker's JSON and were skipped (a torn or damaged file). */
    public long skippedBroken() {
        return skippedBroken;
    }

    private boolean openNext() throws IOException {
        LogFileChain chain = LogFileChain.list(livePath);
        int ours = inKey == null ? -1 : chain.indexOfKey(inKey);
        if (ours >= 0 && !chain.isLive(ours)) {
            openFile(chain, ours + 1); // the plain file after ours: the state goes on as it is
            return true;
        }
        if (ours < 0 && lastTs != null) {
            int same = chain.indexOfCompressed(lastTs, inBytes);
            if (same >= 0 && !chain.isLive(same)) {
                openFile(chain, same + 1);
                return true;
            }
        }
        if (chain.size() == 0) {
            return false; // the container is gone: nothing after the file we held
        }
        // ours is gone (deleted by max-file, or renamed twice over): seek by position
        if (lastTs != null) {
            resume.resumeAt(lastTs, countAtLastTs);
            // re-counting from the seek point makes the position come out as it was
            int from = chain.firstEndingAtOrAfter(lastTs);
            lastTs = null;
            countAtLastTs = 0;
            openFile(chain, from);
        } else {
            openFile(chain, 0);
        }
        return true;
    }

    /** Hands over the whole lines of {@code buf[0, len)}; moves the rest to the start and returns its length. */
    private int parseLines(byte[] buf, int len) {
        int start = 0;
        for (int i = start; i < len; i++) {
            if (buf[i] == '\n') {
                entry(buf, start, i);
                inBytes += i + 1 - start;
                start = i + 1;
            }
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, len - start);
        }
        return len - start;
    }

    /** One entry line, {@code [off, end)} without its newline. */
    private void entry(byte[] b, int off, int end) {
        if (!startsWith(b, off, end, LOG_START)) {
            skippedBroken++;
            return;
        }
        int textStart = off + LOG_START.length;
        int firstEscape = -1;
        int i = textStart;
        while (i < end && b[i] != '"') {
            if (b[i] == '\\') {
                if (firstEscape < 0) {
                    firstEscape = i;
                }
                i += 2;
            } else {
                i++;
            }
        }
        if (i >= end) {
            skippedBroken++;
            return;
        }
        int textEnd = i;
        int streamAt = indexOf(b, textEnd, end, STREAM_KEY);
        int timeAt = lastIndexOf(b, textEnd, end, TIME_KEY); // the last field; attrs before it may hold a "time" label
        if (streamAt < 0 || timeAt < 0) {
            skippedBroken++;
            return;
        }
        int tsStart = timeAt + TIME_KEY.length;
        int tsEnd = indexOf(b, tsStart, end, (byte) '"');
        String ts = tsEnd < 0 ? null : Timestamps.fixed(b, tsStart, tsEnd);
        if (ts == null) {
            skippedBroken++;
            return;
        }
        boolean stderr = b[streamAt + STREAM_KEY.length + 3] == 'e'; // std[e]rr / std[o]ut
        count(ts);
        if (skipEntries > 0) {
            skipEntries--; // counted all the same: a resumed read from this timestamp meets it too
            return;
        }
        if (resume.alreadyDelivered(ts)) {
            return;
        }
        int stream = stderr ? LineJoiner.STDERR : LineJoiner.STDOUT;
        if (firstEscape < 0) {
            joiner.entry(stream, ts, b, textStart, textEnd - textStart, false, safeTs(), countAtLastTs);
        } else if (firstEscape == textEnd - 2 && b[textEnd - 1] == 'n') {
            joiner.entry(stream, ts, b, textStart, textEnd - 2 - textStart, true, safeTs(), countAtLastTs);
        } else {
            byte[] scratch = buffers.scratch(textEnd - textStart);
            int n = JsonText.unescape(b, textStart, textEnd, scratch);
            boolean newline = n > 0 && scratch[n - 1] == '\n';
            joiner.entry(stream, ts, scratch, 0, newline ? n - 1 : n, newline, safeTs(), countAtLastTs);
        }
    }

    private String safeTs() {
        return lastTs;
    }

    private void count(String ts) {
        if (ts.equals(lastTs)) {
            countAtLastTs++;
        } else {
            lastTs = ts;
            countAtLastTs = 1;
        }
    }

    @Override
    public void close() {
        closeInput();
    }

    private void closeInput() {
        ReadableByteChannel c = in;
        in = null;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // read-only: nothing to lose
            }
        }
    }

    static Object fileKey(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }

    private static Object fileKeyOrNull(Path p) throws IOException {
        try {
            return fileKey(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static boolean startsWith(byte[] b, int off, int end, byte[] prefix) {
        if (end - off < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] b, int from, int end, byte[] what) {
        outer:
        for (int i = from; i <= end - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static int indexOf(byte[] b, int from, int end, byte what) {
        for (int i = from; i < end; i++) {
            if (b[i] == what) {
                return i;
            }
        }
        return -1;
    }

    static int lastIndexOf(byte[] b, int from, int end, byte[] what) {
        outer:
        for (int i = end - what.length; i >= from; i--) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static int lastIndexOf(byte[] b, int end, byte what) {
        for (int i = end - 1; i >= 0; i--) {
            if (b[i] == what) {
                return i;
            }
        }
        return -1;
    }

    /** The fixed-form {@code time} of the entry line {@code b[start, end)}, or null. */
    static String timeOf(byte[] b, int start, int end) {
        int at = lastIndexOf(b, start, end, TIME_KEY);
        if (at < 0) {
            return null;
        }
        int tsStart = at + TIME_KEY.length;
        int tsEnd = indexOf(b, tsStart, end, (byte) '"');
        return tsEnd < 0 ? null : Timestamps.fixed(b, tsStart, tsEnd);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "json-file log " + livePath + (tty ? " (tty)" : "");
    }
}
