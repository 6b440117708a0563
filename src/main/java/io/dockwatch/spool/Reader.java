package io.dockwatch.spool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink's cursor over the spool. A batch is read, handed to the sink, and only when the sink
 * has acknowledged it does {@link #commit} move the cursor (saved with the sink's own state, e.g.
 * the output file's size, so a restart neither skips nor repeats a batch).
 */
public final class Reader {
    private static final Logger LOG = LoggerFactory.getLogger(Reader.class);
    /** Records read from the spool and where the cursor goes once they are delivered. */
    public record Batch(RecordBatch records, Spool.Position next) {
        static final RecordBatch EMPTY = new RecordBatch(List.of());

        public boolean isEmpty() {
            return records.size() == 0;
        }
    }

    private static final int MIN_READ = 1024 * 1024;

    private final Spool spool;
    private final String name;
    private final Path cursorFile;
    /** Read by the spool's writer too (backpressure, lag), so volatile. */
    private volatile Spool.Position position;
    /**
     * Where the cursor file says the sink is: behind {@link #position} while a commit waits (see
     * {@link #commit(Spool.Position, JsonNode, boolean)}). Segments go only once this has passed
     * them: a restart goes back to it.
     */
    private volatile Spool.Position savedPosition;
    /** When the cursor file was last written (System.nanoTime). */
    private long savedAtNanos;
    private JsonNode sinkState;
    private FileChannel channel;
    private long channelSegment = -1;
    private int readSize = MIN_READ;
    private boolean unsaved;
    private boolean saveFailing;

    Reader(Spool spool, String name, Path cursorFile, Spool.Position oldest) throws IOException {
        this.spool = spool;
        this.name = name;
        this.cursorFile = cursorFile;
        Files.deleteIfExists(cursorFile.resolveSibling(cursorFile.getFileName() + ".tmp"));
        String lost = "sink '" + name + "' starts again from the oldest record in the spool (records it delivered "
                + "since may come twice)";
        ObjectNode c = StateFiles.readObject(cursorFile, spool.recovery(), lost);
        if (c != null && !(c.path("segment").canConvertToLong() && c.path("offset").canConvertToLong())) {
            spool.recovery().recovered(cursorFile, "not a sink cursor", lost);
            c = null;
        }
        if (c != null) {
            position = new Spool.Position(c.path("segment").asLong(), c.path("offset").asLong());
            sinkState = c.get("sink_state");
        } else {
            position = oldest;
        }
        if (position.compareTo(oldest) < 0) {
            position = oldest; // its segments were removed while this sink was not configured
        }
        position = clamped(position);
        savedPosition = position;
        savedAtNanos = System.nanoTime();
    }

    /**
     * A cursor past the end of what the spool holds (the spool lost its tail in a power loss, or
     * start-up cut a damaged tail) goes back to that end, or new records would be skipped; one
     * inside a line (a damaged cursor) goes on to the next line.
     */
    private Spool.Position clamped(Spool.Position p) throws IOException {
        Spool.Position end = spool.flushedPosition();
        if (p.compareTo(end) > 0 || (p.segment() < end.segment() && p.offset() > spool.segmentSize(p.segment()))) {
            Spool.Position to = p.segment() < end.segment() && Files.exists(spool.segmentFile(p.segment()))
                    ? new Spool.Position(p.segment(), spool.segmentSize(p.segment())) : end;
            spool.recovery().recovered(cursorFile, "points past the end of the spool (" + p + ")",
                    "sink '" + name + "' goes on from " + to + ", the end of what the spool holds");
            return to;
        }
        if (p.offset() > 0 && Files.exists(spool.segmentFile(p.segment()))) {
            try (FileChannel ch = FileChannel.open(spool.segmentFile(p.segment()), StandardOpenOption.READ)) {
                ByteBuffer one = ByteBuffer.allocate(1);
                if (ch.read(one, p.offset() - 1) == 1 && one.get(0) != '\n') {
                    long[] next = {-1};
                    SegmentLines.walk(ch, p.offset(), ch.size(), (start, e, kind, line) -> {
                        next[0] = e + 1;
                        return false;
                    });
                    Spool.Position to = next[0] < 0 ? new Spool.Position(p.segment(), ch.size())
                            : new Spool.Position(p.segment(), next[0]);
                    spool.recovery().recovered(cursorFile, "points into the middle of a line (" + p + ")",
                            "sink '" + name + "' goes on from the next line, " + to);
                    return to;
                }
            }
        }
        return p;
    }

    public String name() {
        return name;
    }

    public Spool.Position position() {
        return position;
    }

    /** Where a restart would resume: the position in the cursor file. */
    Spool.Position savedPosition() {
        return savedPosition;
    }

    /** What the sink saved with its last commit (null before the first). */
    public JsonNode sinkState() {
        return sinkState;
    }

    /** The next batch of at most about {@code maxBytes}; empty when nothing new arrives within {@code waitMs}. */
    public Batch next(int maxBytes, long waitMs) throws IOException, InterruptedException {
        if (saveFailing || unsaved && saveDueInNanos() <= 0) {
            save(); // a cursor a full disk refused, or a waiting commit that is due
        }
        Batch b = read(maxBytes);
        if (b.isEmpty() && b.next().equals(position)) {
            spool.awaitBeyond(position, unsaved ? Math.min(waitMs, Math.max(1, saveDueInNanos() / 1_000_000)) : waitMs);
            b = read(maxBytes);
            if (b.isEmpty() && b.next().equals(position)) {
                save(); // nothing more came: a waiting commit does not wait for the next batch
            }
        }
        return b;
    }

    private long saveDueInNanos() {
        return spool.syncIntervalNanos() - (System.nanoTime() - savedAtNanos);
    }

    private Batch read(int maxBytes) throws IOException {
        Spool.Position flushed = spool.flushedPosition();
        Spool.Position pos = position;
        long limit = pos.segment() == flushed.segment() ? flushed.offset() : spool.segmentSize(pos.segment());
        if (pos.offset() >= limit) {
            if (pos.segment() < flushed.segment()) {
                List<Long> later = spool.segmentsFrom(pos.segment() + 1);
                Spool.Position next = new Spool.Position(later.isEmpty() ? flushed.segment() : later.get(0), 0);
                return new Batch(Batch.EMPTY, next);
            }
            return new Batch(Batch.EMPTY, pos);
        }
        FileChannel ch = channel(pos.segment());
        while (true) {
            int want = (int) Math.min(limit - pos.offset(), Math.max(readSize, maxBytes));
            ByteBuffer bb = ByteBuffer.allocate(want);
            while (bb.hasRemaining()) {
                int r = ch.read(bb.slice(bb.position(), Math.min(bb.remaining(), StateFiles.IO_SLICE_BYTES)),
                        pos.offset() + bb.position()); // in slices: see StateFiles.IO_SLICE_BYTES
                if (r < 0) {
                    break;
                }
                bb.position(bb.position() + r);
            }
            byte[] data = bb.array();
            int n = bb.position();
            int end = n - 1;
            while (end >= 0 && data[end] != '\n') {
                end--;
            }
            if (end < 0) {
                if (n < limit - pos.offset()) {
                    readSize *= 2; // one line longer than the read size: read more at once
                    continue;
                }
                if (pos.segment() < flushed.segment()) {
                    // a finished segment never ends inside a line: it was damaged; waiting cannot help
                    spool.recovery().recovered(spool.segmentFile(pos.segment()), "ends inside a line at byte " + pos.offset(),
                            "sink '" + name + "' skipped its last " + n + " bytes");
                    return new Batch(Batch.EMPTY, new Spool.Position(pos.segment(), limit));
                }
                return new Batch(Batch.EMPTY, pos);
            }
            readSize = Math.max(MIN_READ, readSize / 2);
            IntList starts = new IntList();
            IntList ends = new IntList();
            int start = 0;
            int i = 0;
            int damaged = 0;
            int firstDamaged = -1;
            while ((i = nextNewline(data, i, end + 1)) >= 0) {
                if (i > start && data[start] != '#') {
                    // records are written as {...}: anything else is damage the spool's start-up did not
                    // see (it walks only what was written since the last snapshot), never sent on
                    if (data[start] == '{' && data[i - 1] == '}') {
                        starts.add(start);
                        ends.add(i);
                    } else if (damaged++ == 0) {
                        firstDamaged = start;
                    }
                }
                start = ++i;
            }
            if (damaged > 0) {
                spool.recovery().recovered(spool.segmentFile(pos.segment()), damaged + " damaged line(s) from byte "
                        + (pos.offset() + firstDamaged), "sink '" + name + "' skipped them");
            }
            return new Batch(new RecordBatch(data, starts.toArray(), ends.toArray()),
                    new Spool.Position(pos.segment(), pos.offset() + end + 1));
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * Index of the next '\n' in {@code data[from, to)}, or -1. Eight bytes at a time (the classic
     * has-zero-byte trick on {@code word ^ 0x0A..}): the sink reads every byte of the spool, and
     * this makes that scan several times cheaper than a byte loop.
     */
    static int nextNewline(byte[] data, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(data, i) ^ NEWLINES;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** A growable int array, to keep record offsets without boxing. */
    private static final class IntList {
        private int[] a = new int[256];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }

    private FileChannel channel(long segment) throws IOException {
        if (channelSegment != segment) {
            if (channel != null) {
                channel.close();
            }
            channel = FileChannel.open(spool.segmentFile(segment), StandardOpenOption.READ);
            channelSegment = segment;
        }
        return channel;
    }

    /**
     * The sink has the batch: move on, saving its state with the cursor in one atomic write. When
     * the cursor file cannot be written (the state dir's disk is full), the reader still moves on
     * (the sink has the records, sending them again would repeat them) and the file is written at
     * the next commit, read or close; only a crash before that repeats them.
     */
    public void commit(Spool.Position next, JsonNode newSinkState) {
        commit(next, newSinkState, false);
    }

    /**
     * {@link #commit(Spool.Position, JsonNode)}, where {@code mayWait}: the cursor file may be written
     * later, at most the spool's sync interval after the last one (a group commit: its temporary
     * file, two fsyncs and rename were a tenth of the collector's CPU on a log flood), when the
     * sink catches up, or at close. Only for a sink that makes its output agree with the saved
     * state at start-up (the file sink cuts back to the saved size): a crash then makes it resend
     * what it wrote since, after cutting it off, and nothing comes twice. A sink that cannot take
     * back what it sent (HTTP, Kafka, syslog) commits every batch, or a crash would repeat more.
     */
    public void commit(Spool.Position next, JsonNode newSinkState, boolean mayWait) {
        if (newSinkState != null) {
            sinkState = newSinkState;
        }
        position = next;
        unsaved = true;
        if (!mayWait || saveFailing || saveDueInNanos() <= 0) {
            save();
        }
    }

    private void save() {
        if (!unsaved) {
            return;
        }
        Spool.Position at = position;
        ObjectNode c = Json.NODES.objectNode();
        c.put("segment", at.segment());
        c.put("offset", at.offset());
        if (sinkState != null) {
            c.set("sink_state", sinkState);
        }
        try {
            CheckpointStore.writeAtomically(cursorFile, Json.MAPPER.writeValueAsBytes(c));
            unsaved = false;
            savedPosition = at;
            savedAtNanos = System.nanoTime();
            if (saveFailing) {
                saveFailing = false;
                LOG.info("Cursor of sink {} saved again in {}", name, cursorFile);
            }
        } catch (IOException e) {
            if (!saveFailing) {
                saveFailing = true;
                LOG.warn("Cannot save the cursor of sink {} in {}: {}; it is kept in memory and saved once the "
                        + "disk takes it (a crash meanwhile sends its last batches again)", name, cursorFile, e.toString());
            }
        }
    }

    public void close() throws IOException {
        save();
        spool.release(this);
        if (channel != null) {
            channel.close();
        }
    }
}
