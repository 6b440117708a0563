package io.dockwatch.source.logs.file;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads one container's log from the files of Docker's {@code local} driver
 * ({@code <data-root>/containers/<id>/local-logs/container.log}; inspect's {@code LogPath} is empty
 * for it), the entries the logs API serves from these very files, without dockerd in between.
 *
 * <pre>
 *  entry:  [length: 4 bytes, big-endian] [LogEntry, protobuf, length bytes] [length again]
 *  LogEntry (moby api/types/plugins/logdriver/entry.proto):
 *    1 source string ("stdout", "stderr")    4 partial bool
 *    2 time_nano int64                       5 partial_log_metadata {1 last bool, 2 id, 3 ordinal}
 *    3 line bytes (without its newline)      6.. (later fields, e.g. attrs: skipped)
 * </pre>
 *
 * The same on Engine 20.10 and 28.5 (recordings in src/test/resources/docker-api). Rotation is
 * moby's loggerutils, as for json-file: {@code container.log.N[.gz]}, compressed by default, the
 * gzip header noting the file's last time; the files are followed as {@link JsonFileLog} follows
 * its own (the held file read to its end, then the next of the chain).
 *
 * <p>An entry ends its line unless it is a partial entry other than the last of its line: the
 * newline the API path adds then (local/read.go). A frame is taken only once it is whole and its
 * trailer repeats its length: an entry still being written is left for the next read. A damaged
 * frame (lengths that disagree, not a LogEntry) is skipped up to the next frame that starts like
 * one (a length, then field 1 {@code "stdout"}/{@code "stderr"}, which every entry starts with),
 * reported once per damaged place: never a crash or a loop.
 *
 * <p>Positions are the API path's: the entry's time in Docker's fixed nine-digit form and how many
 * entries in a row carried it, so a checkpoint taken on either path resumes on the other.
 */
public final class LocalLog implements LogFileReader {
    static final String DRIVER = "local";
    static final String FOLDER = "local-logs";
    static final String FILE = "container.log";
    private static final int LEN = 4;
    /** The smallest LogEntry Docker writes: source "stdout" (8 bytes) and a time (2 or more). */
    private static final int MIN_ENTRY_BYTES = 10;
    /**
     * The longest entry taken: one read buffer's worth. Docker's entries hold at most 16 KiB of
     * line (logger/copier.go) plus a few fields; moby's reader refuses more than 1e6 bytes.
     */
    static final int MAX_ENTRY_BYTES = JsonFileLog.MAX_ENTRY_BYTES - 2 * LEN;
    private static final byte[] STDOUT = {'s', 't', 'd', 'o', 'u', 't'};
    private static final byte[] STDERR = {'s', 't', 'd', 'e', 'r', 'r'};

    /** For {@link LogFileChain}: finding the start of a read in the chain. */
    static final EntryFormat FORMAT = new EntryFormat() {
        @Override
        public String lastTime(byte[] b) {
            return lastTimeIn(b);
        }

        @Override
        public long countEntries(InputStream in) throws IOException {
            return LocalLog.countEntries(in);
        }
    };

    private final Path livePath;
    private final LineJoiner joiner;
    private final boolean tty;
    private final Consumer<String> damaged;

    private ReadableByteChannel in;
    private Object inKey;
    /** Bytes consumed from the current file (uncompressed), entries and skipped ones alike. */
    private long inBytes;
    private boolean rotatedAway;
    /** The start of an entry not yet written whole, kept between reads (the read buffer is lent). */
    private byte[] carry = new byte[0];
    private int carryLen;
    private ReadBuffers ownBuffers;
    /** Skipping a damaged place: reported once, when it starts. */
    private boolean inDamage;

    private String lastTs;
    private int countAtLastTs;
    private final ResumePoint resume = new ResumePoint();
    private long skipEntries;
    private long skippedBroken;

    // the entry being decoded
    private int pos;
    private long timeNano;
    private boolean hasTime;
    private int stream;
    private int lineOff;
    private int lineLen;
    private boolean partial;
    private boolean last;

    // the fixed-form text of the last second met: most entries share it with the one before
    private long tsSecond = Long.MIN_VALUE;
    private final char[] tsChars = new char[30];

    private LocalLog(Path livePath, boolean tty, int maxLineBytes, LineSink sink, Consumer<String> damaged) {
        this.livePath = livePath;
        this.tty = tty;
        this.joiner = new LineJoiner(tty, maxLineBytes, sink);
        this.damaged = damaged;
    }

    /**
     * Opens a container's local-driver log at {@code start}; {@code damaged} hears of each damaged
     * place skipped (to log and count it).
     */
    public static LocalLog open(Path livePath, boolean tty, int maxLineBytes, JsonFileLog.Start start, LineSink sink,
            Consumer<String> damaged) throws IOException {
        LocalLog log = new LocalLog(livePath, tty, maxLineBytes, sink, damaged);
        log.seek(start);
        return log;
    }

    /** The local driver's live file of a container whose folder is {@code containerDir}. */
    static Path liveFile(Path containerDir) {
        return containerDir.resolve(FOLDER).resolve(FILE);
    }

    static boolean isLocalLog(Path p) {
        Path parent = p.getParent();
        return p.getFileName().toString().equals(FILE) && parent != null && parent.getFileName().toString().equals(FOLDER);
    }

    /**
     * Whether the file starts with an entry of the format read here (or is too short to tell):
     * moby says the format is no stable API (container.go does not publish the path), so a file
     * some future engine wrote otherwise is left to the API rather than read as damage.
     */
    static boolean looksLikeLocalFormat(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] header = in.readNBytes(LEN);
            if (header.length < LEN) {
                return true; // nothing written yet
            }
            int n = length(header, 0);
            if (n < MIN_ENTRY_BYTES || n > MAX_ENTRY_BYTES) {
                return false;
            }
            byte[] b = new byte[n + 2 * LEN];
            System.arraycopy(header, 0, b, 0, LEN);
            int got = LEN + in.readNBytes(b, LEN, n + LEN);
            if (got < b.length) {
                return startsLikeEntry(b, LEN, got); // still being written
            }
            LocalLog probe = new LocalLog(p, false, 1, (s, t, m, st, c) -> { }, w -> { });
            return length(b, LEN + n) == n && probe.decode(b, LEN, LEN + n);
        }
    }

    private void seek(JsonFileLog.Start start) throws IOException {
        LogFileChain chain = LogFileChain.list(livePath, FORMAT);
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
            in = Channels.newChannel(new GZIPInputStream(Files.newInputStream(p), 64 * 1024));
            inKey = null;
            rotatedAway = true;
        } else {
            // the key is read around the open: a rename between the two would pair the wrong file
            for (int attempt = 0;; attempt++) {
                Object before = JsonFileLog.fileKey(p);
                FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
                Object after = JsonFileLog.fileKey(p);
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
        inDamage = false;
    }

    @Override
    public int read(int maxBytes, ReadBuffers lent) throws IOException {
        byte[] buf = lent.read;
        System.arraycopy(carry, 0, buf, 0, carryLen);
        int len = carryLen;
        int total = 0;
        try {
            while (total < maxBytes) {
                int room = Math.min(buf.length - len, Math.max(4096, maxBytes - total));
                int n = in.read(ByteBuffer.wrap(buf, len, room));
                if (n > 0) {
                    len = parseFrames(buf, len + n);
                    total += n;
                    continue;
                }
                if (!rotatedAway) {
                    Object live = fileKeyOrNull(livePath);
                    if (live != null && live.equals(inKey)) {
                        break; // caught up with the file being written; a part-written entry waits
                    }
                    rotatedAway = true; // renamed after its last write: read what is left of it
                    continue;
                }
                if (len > 0) {
                    // the file is complete and ends inside an entry: a torn write (dockerd died)
                    damage(len + " bytes of a torn entry at the end of a rotated file");
                    inBytes += len;
                    len = 0;
                }
                if (!openNext()) {
                    break;
                }
            }
        } finally {
            keepCarry(buf, len);
        }
        return total;
    }

    @Override
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

    @Override
    public void finish() {
        if (carryLen > 0) {
            // the container is done writing: its file ends inside an entry
            damage(carryLen + " bytes of a torn entry at the end of the log");
            carryLen = 0;
        }
        joiner.finish(lastTs, countAtLastTs);
    }

    @Override
    public long skippedBroken() {
        return skippedBroken;
    }

    private boolean openNext() throws IOException {
        LogFileChain chain = LogFileChain.list(livePath, FORMAT);
        int ours = inKey == null ? -1 : chain.indexOfKey(inKey);
        if (ours >= 0 && !chain.isLive(ours)) {
            openFile(chain, ours + 1);
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
            int from = chain.firstEndingAtOrAfter(lastTs);
            lastTs = null;
            countAtLastTs = 0;
            openFile(chain, from);
        } else {
            openFile(chain, 0);
        }
        return true;
    }

    /** Hands over the whole entries of {@code buf[0, len)}; moves the rest to the start and returns its length. */
    private int parseFrames(byte[] buf, int len) {
        int p = 0;
        while (len - p >= LEN) {
            int n = length(buf, p);
            if (n >= MIN_ENTRY_BYTES && n <= MAX_ENTRY_BYTES && startsLikeEntry(buf, p + LEN, len)) {
                if (len - p < n + 2 * LEN) {
                    break; // not written whole yet
                }
                if (length(buf, p + LEN + n) == n && decode(buf, p + LEN, p + LEN + n)) {
                    inDamage = false;
                    entry(buf);
                    p += n + 2 * LEN;
                    inBytes += n + 2 * LEN;
                    continue;
                }
            }
            // damaged here: on to the next place that starts like an entry
            if (!inDamage) {
                inDamage = true;
                damage("a damaged entry (length " + Integer.toUnsignedString(n) + ")");
            }
            int next = nextFrameStart(buf, p + 1, len);
            inBytes += next - p;
            p = next;
        }
        if (p > 0) {
            System.arraycopy(buf, p, buf, 0, len - p);
        }
        return len - p;
    }

    /**
     * The first offset from {@code from} where an entry may start: a plausible length followed by
     * field 1 "stdout"/"stderr". Short of one, where the last bytes that may still begin one start.
     */
    private static int nextFrameStart(byte[] b, int from, int len) {
        for (int q = from; q + LEN <= len; q++) {
            int n = length(b, q);
            if (n >= MIN_ENTRY_BYTES && n <= MAX_ENTRY_BYTES && startsLikeEntry(b, q + LEN, len)) {
                return q;
            }
        }
        return Math.max(from, len - (LEN + 2 + STDOUT.length - 1));
    }

    /** Whether {@code b[at, len)} starts as every LogEntry Docker writes does, as far as it goes. */
    private static boolean startsLikeEntry(byte[] b, int at, int len) {
        byte[][] sources = {STDOUT, STDERR};
        for (byte[] source : sources) {
            boolean same = true;
            for (int i = 0; i < 2 + source.length && at + i < len && same; i++) {
                byte want = i == 0 ? 0x0a : i == 1 ? (byte) source.length : source[i - 2];
                same = b[at + i] == want;
            }
            if (same) {
                return true;
            }
        }
        return false;
    }

    private void damage(String what) {
        skippedBroken++;
        damaged.accept(what + " in " + livePath.getParent().getParent().getFileName() + "'s local log");
    }

    /** Decodes the LogEntry {@code b[from, end)} into this reader's fields; false if it is not one. */
    private boolean decode(byte[] b, int from, int end) {
        pos = from;
        hasTime = false;
        stream = 0;
        lineOff = from;
        lineLen = 0;
        partial = false;
        last = false;
        while (pos < end) {
            if (!nextField(b, end)) {
                return false;
            }
            switch (fieldNumber) {
                case 1 -> stream = equals(b, fieldAt, fieldLen, STDOUT) ? LineJoiner.STDOUT
                        : equals(b, fieldAt, fieldLen, STDERR) ? LineJoiner.STDERR : -1;
                case 2 -> {
                    timeNano = fieldValue;
                    hasTime = true;
                }
                case 3 -> {
                    lineOff = fieldAt;
                    lineLen = fieldLen;
                }
                case 4 -> partial = fieldValue != 0;
                case 5 -> {
                    if (!partialMetadata(b, fieldAt, fieldAt + fieldLen)) {
                        return false;
                    }
                }
                default -> {
                    // a field of a later engine (attrs): skipped
                }
            }
        }
        return pos == end && hasTime && stream > 0;
    }

    /** PartialLogEntryMetadata {@code b[from, end)}: only {@code last} (field 1) matters here. */
    private boolean partialMetadata(byte[] b, int from, int end) {
        int outer = pos;
        pos = from;
        try {
            while (pos < end) {
                if (!nextField(b, end)) {
                    return false;
                }
                if (fieldNumber == 1) {
                    last = fieldValue != 0;
                }
            }
            return pos == end;
        } finally {
            pos = outer;
        }
    }

    // the field nextField read: its number, a varint's value, a length-delimited one's bytes
    private int fieldNumber;
    private long fieldValue;
    private int fieldAt;
    private int fieldLen;

    /** Reads the field at {@link #pos} (before {@code end}); false if it is not a well-formed one. */
    private boolean nextField(byte[] b, int end) {
        long key = varint(b, end);
        if (key < 0) {
            return false;
        }
        fieldNumber = (int) (key >>> 3);
        fieldValue = 0;
        fieldLen = 0;
        int wire = (int) (key & 7);
        if (wire == 0) {
            fieldValue = varint(b, end);
            return pos >= 0;
        }
        if (wire == 2) {
            long n = varint(b, end);
            if (n < 0 || n > end - pos) {
                return false;
            }
            fieldAt = pos;
            fieldLen = (int) n;
            pos += fieldLen;
            return true;
        }
        if (wire == 1 || wire == 5) {
            pos += wire == 1 ? 8 : 4;
            return pos <= end;
        }
        return false;
    }

    /**
     * A varint at {@link #pos}, which moves past it. A value with its top bit set (a negative
     * int64, e.g. a time before 1970) comes out negative with {@code pos} valid; a varint running
     * past {@code end} or longer than ten bytes gives -1 with {@code pos} set to -1.
     */
    private long varint(byte[] b, int end) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                pos = -1;
                return -1;
            }
            byte x = b[pos++];
            v |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                return v;
            }
        }
        pos = -1;
        return -1;
    }

    /** The entry just decoded. */
    private void entry(byte[] b) {
        String ts = timestamp(timeNano);
        count(ts);
        if (skipEntries > 0) {
            skipEntries--; // counted all the same: a resumed read from this timestamp meets it too
            return;
        }
        if (resume.alreadyDelivered(ts)) {
            return;
        }
        // the API path adds the newline to every entry but a partial one that is not its line's last
        boolean newline = !partial || last;
        joiner.entry(stream, ts, b, lineOff, lineLen, newline, lastTs, countAtLastTs);
    }

    private void count(String ts) {
        if (ts.equals(lastTs)) {
            countAtLastTs++;
        } else {
            lastTs = ts;
            countAtLastTs = 1;
        }
    }

    /** Docker's fixed form of a time in nanoseconds, as the API writes it (RFC3339NanoFixed, UTC). */
    private String timestamp(long nanos) {
        long second = Math.floorDiv(nanos, 1_000_000_000L);
        long fraction = Math.floorMod(nanos, 1_000_000_000L);
        if (second != tsSecond) {
            String s = Timestamps.fixed(Instant.ofEpochSecond(second)); // ....:05.000000000Z
            s.getChars(0, s.length(), tsChars, 0);
            tsSecond = second;
        }
        for (int i = 28; i >= 20; i--) {
            tsChars[i] = (char) ('0' + fraction % 10);
            fraction /= 10;
        }
        return new String(tsChars);
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

    private static Object fileKeyOrNull(Path p) throws IOException {
        try {
            return JsonFileLog.fileKey(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The 4-byte big-endian length at {@code b[at]}, as a non-negative int where it fits (else negative). */
    private static int length(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }

    private static boolean equals(byte[] b, int at, int n, byte[] what) {
        if (n != what.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[at + i] != what[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The time of the last whole entry of {@code b}, which ends where its file ends: its trailer
     * gives its length, its header must repeat it. Null when the file ends inside an entry (the
     * live file being written) or holds none: the caller then reads the file from its start.
     */
    static String lastTimeIn(byte[] b) {
        int end = b.length;
        if (end < 2 * LEN + MIN_ENTRY_BYTES) {
            return null;
        }
        int n = length(b, end - LEN);
        int start = end - 2 * LEN - n;
        if (n < MIN_ENTRY_BYTES || n > MAX_ENTRY_BYTES || start < 0 || length(b, start) != n) {
            return null;
        }
        LocalLog probe = new LocalLog(Path.of(FILE), false, 1, (s, t, m, st, c) -> { }, w -> { });
        return probe.decode(b, start + LEN, end - LEN) ? probe.timestamp(probe.timeNano) : null;
    }

    /** Whole entries in a file's content, counted by their lengths up to where they stop making sense. */
    static long countEntries(InputStream in) throws IOException {
        long count = 0;
        byte[] header = new byte[LEN];
        while (true) {
            int got = in.readNBytes(header, 0, LEN);
            if (got < LEN) {
                return count;
            }
            int n = length(header, 0);
            if (n < MIN_ENTRY_BYTES || n > MAX_ENTRY_BYTES) {
                return count;
            }
            try {
                in.skipNBytes(n + LEN);
            } catch (EOFException e) {
                return count;
            }
            count++;
        }
    }

    @Override
    public String toString() {
        return "local log " + livePath + (tty ? " (tty)" : "");
    }
}
