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

/**
 * One sink's cursor over the spool. A batch is read, handed to the sink, and only when the sink
 * has acknowledged it does {@link #commit} move the cursor (saved with the sink's own state, e.g.
 * the output file's size, so a restart neither skips nor repeats a batch).
 */
public final class Reader {
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
    /** Read by the spool's writer too (which segments may go), so volatile. */
    private volatile Spool.Position position;
    private JsonNode sinkState;
    private FileChannel channel;
    private long channelSegment = -1;
    private int readSize = MIN_READ;

    Reader(Spool spool, String name, Path cursorFile, Spool.Position oldest) throws IOException {
        this.spool = spool;
        this.name = name;
        this.cursorFile = cursorFile;
        if (Files.exists(cursorFile)) {
            JsonNode c = Json.MAPPER.readTree(cursorFile.toFile());
            position = new Spool.Position(c.path("segment").asLong(), c.path("offset").asLong());
            sinkState = c.get("sink_state");
        } else {
            position = oldest;
        }
        if (position.compareTo(oldest) < 0) {
            position = oldest; // its segments were removed while this sink was not configured
        }
    }

    public String name() {
        return name;
    }

    public Spool.Position position() {
        return position;
    }

    /** What the sink saved with its last commit (null before the first). */
    public JsonNode sinkState() {
        return sinkState;
    }

    /** The next batch of at most about {@code maxBytes}; empty when nothing new arrives within {@code waitMs}. */
    public Batch next(int maxBytes, long waitMs) throws IOException, InterruptedException {
        Batch b = read(maxBytes);
        if (b.isEmpty() && b.next().equals(position)) {
            spool.awaitBeyond(position, waitMs);
            b = read(maxBytes);
        }
        return b;
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
                if (ch.read(bb, pos.offset() + bb.position()) < 0) {
                    break;
                }
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
                return new Batch(Batch.EMPTY, pos);
            }
            readSize = Math.max(MIN_READ, readSize / 2);
            IntList starts = new IntList();
            IntList ends = new IntList();
            int start = 0;
            int i = 0;
            while ((i = nextNewline(data, i, end + 1)) >= 0) {
                if (i > start && data[start] != '#') {
                    starts.add(start);
                    ends.add(i);
                }
                start = ++i;
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

    /** The sink has the batch: move on, saving its state with the cursor in one atomic write. */
    public void commit(Spool.Position next, JsonNode newSinkState) throws IOException {
        if (newSinkState != null) {
            sinkState = newSinkState;
        }
        ObjectNode c = Json.NODES.objectNode();
        c.put("segment", next.segment());
        c.put("offset", next.offset());
        if (sinkState != null) {
            c.set("sink_state", sinkState);
        }
        CheckpointStore.writeAtomically(cursorFile, Json.MAPPER.writeValueAsBytes(c));
        position = next;
    }

    public void close() throws IOException {
        spool.release(this);
        if (channel != null) {
            channel.close();
        }
    }
}
