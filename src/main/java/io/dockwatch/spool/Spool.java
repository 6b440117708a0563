package io.dockwatch.spool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import io.dockwatch.settings.Settings.SpoolOverflow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable store-and-forward log between sources and sinks.
 *
 * <pre>
 *  sources ──append(record, checkpoint)──► buffer ──flush: one write()──► segment files
 *                                                                          │  │  │
 *                                                     each sink's Reader ◄─┘  │  └─► (deleted once
 *                                                     with its own cursor ◄───┘      every reader passed)
 * </pre>
 *
 * <p>A segment is NDJSON: record lines start with <code>{</code>, checkpoint lines with
 * <code>#</code>. A flush writes the buffered records followed by the checkpoints of the sources
 * that produced them in one {@code write()}, so a killed process leaves either both or neither:
 * sources resume exactly after the last durable record. Sources never wait for a sink: a slow or
 * dead sink only lets its reader fall behind.
 *
 * <p>The spool is bounded ({@link Bound}): when the segments on disk reach the bound because a sink
 * is behind, {@code drop-oldest} deletes the oldest segment even though that sink has not read it
 * (its cursor jumps to the next segment), while {@code block} makes {@link #append} wait until the
 * sinks catch up, so sources stop reading and Docker keeps the logs. Either is logged once, the first
 * time, and counted ({@link #droppedRecords()}, {@link #droppedBytes()}, {@link #blockedMillis()}).
 */
public final class Spool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final long MAX_SEGMENT_BYTES = 64L * 1024 * 1024;
    private static final long MIN_SEGMENT_BYTES = 64L * 1024;
    /** Segments per bound: what one drop loses, and how close to the bound blocking comes. */
    private static final int SEGMENTS_PER_BOUND = 8;
    private static final long BLOCK_POLL_MS = 50;
    private static final int FLUSH_BYTES = 1024 * 1024;
    private static final long FLUSH_PERIOD_MS = 50;
    private static final long SNAPSHOT_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** A place in the spool: segment number and byte offset. */
    public record Position(long segment, long offset) implements Comparable<Position> {
        @Override
        public int compareTo(Position o) {
            return segment != o.segment ? Long.compare(segment, o.segment) : Long.compare(offset, o.offset);
        }
    }

    /** How much the spool may hold on disk, and what happens when a slow sink lets it fill. */
    public record Bound(long maxBytes, SpoolOverflow overflow) {
        public static final Bound UNBOUNDED = new Bound(Long.MAX_VALUE, SpoolOverflow.DROP_OLDEST);
    }

    private final Path dir;
    private final Path snapshotFile;
    private final Bound bound;
    private final long segmentBytes;
    /** A flush lands in one segment: kept well below a segment, so segments (and drops) stay small. */
    private final int flushBytes;
    private long diskBytes;
    private final AtomicLong droppedRecords = new AtomicLong();
    private final AtomicLong droppedBytes = new AtomicLong();
    private final AtomicLong blockedNanos = new AtomicLong();
    private boolean overflowLogged;
    private final CheckpointStore checkpoints;
    private final Object lock = new Object();
    private final Map<String, Reader> readers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    private FileChannel out;
    private long segment;
    private long size;
    private byte[] buf = new byte[FLUSH_BYTES + 64 * 1024];
    private int len;
    private final Map<String, JsonNode> pending = new LinkedHashMap<>();
    private volatile Position flushed;
    private long lastSnapshot;
    private volatile boolean closed;

    public Spool(Path dir, CheckpointStore checkpoints) {
        this(dir, checkpoints, Bound.UNBOUNDED);
    }

    public Spool(Path dir, CheckpointStore checkpoints, Bound bound) {
        this.dir = dir;
        this.bound = bound;
        // small segments under a small bound, so a drop loses a slice, not everything
        this.segmentBytes = Math.max(MIN_SEGMENT_BYTES, Math.min(MAX_SEGMENT_BYTES, bound.maxBytes() / SEGMENTS_PER_BOUND));
        this.flushBytes = (int) Math.min(FLUSH_BYTES, segmentBytes / 4);
        this.snapshotFile = dir.resolve("checkpoints.json");
        this.checkpoints = checkpoints;
        try {
            Files.createDirectories(dir.resolve("readers"));
            recover();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the spool in " + dir, e);
        }
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dockwatch-spool-flush");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushQuietly, FLUSH_PERIOD_MS, FLUSH_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    public Path dir() {
        return dir;
    }

    // ---- start-up: rebuild checkpoints, drop a torn tail ------------------------------------

    private void recover() throws IOException {
        Position from = new Position(0, 0);
        if (Files.exists(snapshotFile)) {
            ObjectNode snap = (ObjectNode) Json.MAPPER.readTree(snapshotFile.toFile());
            checkpoints.load((ObjectNode) snap.path("positions"));
            from = new Position(snap.path("segment").asLong(), snap.path("offset").asLong());
        }
        List<Long> segments = segments();
        for (long seg : segments) {
            if (seg < from.segment()) {
                continue;
            }
            Path file = segmentFile(seg);
            byte[] content = Files.readAllBytes(file);
            int start = seg == from.segment() ? (int) Math.min(from.offset(), content.length) : 0;
            int lastNewline = scanCheckpoints(content, start);
            if (lastNewline + 1 < content.length) {
                // a write cut short by a crash of the machine: the partial batch never counted
                LOG.warn("Spool segment {} ends in a partial write; dropping {} bytes", file.getFileName(),
                        content.length - lastNewline - 1);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(lastNewline + 1);
                }
            }
        }
        segment = segments.isEmpty() ? 1 : segments.get(segments.size() - 1);
        for (long seg : segments) {
            if (seg != segment) {
                diskBytes += Files.size(segmentFile(seg));
            }
        }
        openSegment(segment);
        diskBytes += size;
        flushed = new Position(segment, size);
        lastSnapshot = System.nanoTime();
    }

    private int scanCheckpoints(byte[] content, int start) throws IOException {
        int lineStart = start;
        int lastNewline = start - 1;
        for (int i = start; i < content.length; i++) {
            if (content[i] == '\n') {
                if (content[lineStart] == '#') {
                    checkpoints.applyLine(content, lineStart, i);
                }
                lastNewline = i;
                lineStart = i + 1;
            }
        }
        return lastNewline;
    }

    private List<Long> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".seg"))
                    .map(n -> Long.parseLong(n.substring(0, n.length() - 4))).sorted().toList();
        }
    }

    Path segmentFile(long seg) {
        return dir.resolve(String.format("%012d.seg", seg));
    }

    private void openSegment(long seg) throws IOException {
        if (out != null) {
            out.close();
        }
        out = FileChannel.open(segmentFile(seg), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        size = out.size();
    }

    // ---- writing ----------------------------------------------------------------------------

    /** Buffers one record and, after it, the source position it completes. Never blocks on a sink. */
    public void append(byte[] json, List<Checkpoint> positions) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("Spool is closed");
            }
            if (bound.overflow() == SpoolOverflow.BLOCK) {
                awaitRoomLocked(json.length + 1);
            }
            ensureCapacity(json.length + 1);
            System.arraycopy(json, 0, buf, len, json.length);
            len += json.length;
            buf[len++] = '\n';
            for (Checkpoint c : positions) {
                pending.put(c.key(), c.position());
            }
            if (len >= flushBytes) {
                flushLocked();
            }
        }
    }

    /** Appends already serialised records (each ending in a newline) and then the positions they complete. */
    public void appendLines(byte[] ndjson, List<Checkpoint> positions) {
        appendLines(ndjson, ndjson.length, positions);
    }

    /** {@link #appendLines(byte[], List)} for the first {@code length} bytes of a reused buffer. */
    public void appendLines(byte[] ndjson, int length, List<Checkpoint> positions) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("Spool is closed");
            }
            if (bound.overflow() == SpoolOverflow.BLOCK) {
                awaitRoomLocked(length);
            }
            ensureCapacity(length);
            System.arraycopy(ndjson, 0, buf, len, length);
            len += length;
            for (Checkpoint c : positions) {
                pending.put(c.key(), c.position());
            }
            if (len >= flushBytes) {
                flushLocked();
            }
        }
    }

    /**
     * The block policy: waits while the records would take the spool past its bound and some sink
     * still has something to read (when every sink has read everything, waiting cannot help).
     */
    private void awaitRoomLocked(int extra) {
        long started = 0;
        while (!closed && diskBytes + len + extra > bound.maxBytes()) {
            flushLocked(); // sinks read only flushed data
            try {
                deleteConsumedSegments();
            } catch (IOException e) {
                throw new UncheckedIOException("Spool clean-up in " + dir + " failed", e);
            }
            Reader slowest = slowestReader();
            if (diskBytes + extra <= bound.maxBytes() || slowest == null || slowest.position().compareTo(flushed) >= 0) {
                break;
            }
            if (started == 0) {
                started = System.nanoTime();
                if (!overflowLogged) {
                    overflowLogged = true;
                    LOG.warn("Spool full ({} bytes, dockwatch.spool.max.bytes): sources wait until sink '{}' catches up; "
                            + "Docker keeps the logs meanwhile (dockwatch.spool.overflow=block)", bound.maxBytes(),
                            slowest.name());
                }
            }
            try {
                lock.wait(BLOCK_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while the spool is full", e);
            }
        }
        if (started != 0) {
            blockedNanos.addAndGet(System.nanoTime() - started);
        }
        if (closed) {
            throw new IllegalStateException("Spool is closed");
        }
    }

    private Reader slowestReader() {
        Reader slowest = null;
        for (Reader r : readers.values()) {
            if (slowest == null || r.position().compareTo(slowest.position()) < 0) {
                slowest = r;
            }
        }
        return slowest;
    }

    /**
     * The drop-oldest policy: deletes the oldest segments (never the one being written) until the
     * spool is within its bound, counting what some sink had not read yet. The checkpoint snapshot
     * is written at every segment change, so no source position lives only in a dropped segment.
     */
    private void dropOldestLocked() throws IOException {
        for (long seg : segments()) {
            if (diskBytes <= bound.maxBytes() || seg >= segment) {
                return;
            }
            Path file = segmentFile(seg);
            long fileSize = Files.size(file);
            Reader slowest = slowestReader();
            if (slowest != null && slowest.position().segment() <= seg) {
                long from = slowest.position().segment() == seg ? slowest.position().offset() : 0;
                long records = countRecords(file, from);
                droppedRecords.addAndGet(records);
                droppedBytes.addAndGet(fileSize - from);
                if (!overflowLogged && records > 0) {
                    overflowLogged = true;
                    LOG.warn("Spool full ({} bytes, dockwatch.spool.max.bytes): dropping the oldest records sink '{}' "
                            + "has not delivered (dockwatch.spool.overflow=drop-oldest); further drops are counted, "
                            + "not logged", bound.maxBytes(), slowest.name());
                }
            }
            Files.deleteIfExists(file);
            diskBytes -= fileSize;
        }
    }

    private static long countRecords(Path file, long from) throws IOException {
        long n = 0;
        byte[] content = Files.readAllBytes(file);
        boolean lineStart = from == 0 || (from <= content.length && content[(int) from - 1] == '\n');
        for (int i = (int) Math.min(from, content.length); i < content.length; i++) {
            if (lineStart && content[i] == '{') {
                n++;
            }
            lineStart = content[i] == '\n';
        }
        return n;
    }

    /** Records deleted by the drop-oldest policy before some sink delivered them (metrics). */
    public long droppedRecords() {
        return droppedRecords.get();
    }

    /** Bytes of those records (metrics). */
    public long droppedBytes() {
        return droppedBytes.get();
    }

    /** Time sources spent waiting for room under the block policy (metrics). */
    public long blockedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(blockedNanos.get());
    }

    /** Bytes the spool's segments take on disk now (metrics). */
    public long diskBytes() {
        synchronized (lock) {
            return diskBytes + len;
        }
    }

    public Bound bound() {
        return bound;
    }

    /** Records only a source position (e.g. it read lines that were all filtered out). */
    public void checkpoint(List<Checkpoint> positions) {
        synchronized (lock) {
            for (Checkpoint c : positions) {
                pending.put(c.key(), c.position());
            }
        }
    }

    private void ensureCapacity(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra + 1024));
        }
    }

    public void flush() {
        synchronized (lock) {
            flushLocked();
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Spool flush failed: {}", e.getMessage());
        }
    }

    private void flushLocked() {
        if (len == 0 && pending.isEmpty()) {
            return;
        }
        try {
            if (!pending.isEmpty()) {
                ObjectNode cp = Json.NODES.objectNode();
                pending.forEach(cp::set);
                byte[] line = Json.MAPPER.writeValueAsBytes(cp);
                ensureCapacity(line.length + 2);
                buf[len++] = '#';
                System.arraycopy(line, 0, buf, len, line.length);
                len += line.length;
                buf[len++] = '\n';
            }
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
            while (bb.hasRemaining()) {
                out.write(bb);
            }
            size += len;
            diskBytes += len;
            pending.forEach(checkpoints::apply);
            pending.clear();
            len = 0;
            if (buf.length > 4 * FLUSH_BYTES) {
                buf = new byte[FLUSH_BYTES + 64 * 1024]; // give back memory after a huge line
            }
            flushed = new Position(segment, size);
            if (size >= segmentBytes) {
                segment++;
                openSegment(segment);
                flushed = new Position(segment, size);
                writeSnapshotLocked();
            } else if (System.nanoTime() - lastSnapshot > SNAPSHOT_PERIOD_NANOS) {
                writeSnapshotLocked();
            }
            if (diskBytes > bound.maxBytes() && bound.overflow() == SpoolOverflow.DROP_OLDEST) {
                deleteConsumedSegments();
                dropOldestLocked();
            }
            lock.notifyAll();
        } catch (IOException e) {
            throw new UncheckedIOException("Spool write to " + segmentFile(segment) + " failed", e);
        }
    }

    private void writeSnapshotLocked() throws IOException {
        ObjectNode snap = Json.NODES.objectNode();
        snap.put("segment", flushed.segment());
        snap.put("offset", flushed.offset());
        snap.set("positions", checkpoints.snapshot());
        CheckpointStore.writeAtomically(snapshotFile, Json.MAPPER.writeValueAsBytes(snap));
        lastSnapshot = System.nanoTime();
        deleteConsumedSegments();
    }

    private void deleteConsumedSegments() throws IOException {
        long keepFrom = flushed.segment();
        for (Reader r : readers.values()) {
            keepFrom = Math.min(keepFrom, r.position().segment());
        }
        for (long seg : segments()) {
            if (seg < keepFrom) {
                Path file = segmentFile(seg);
                long fileSize = Files.size(file);
                Files.deleteIfExists(file);
                diskBytes -= fileSize;
            }
        }
    }

    Position flushedPosition() {
        return flushed;
    }

    /** Waits until data beyond {@code position} is flushed, or the timeout passes. */
    void awaitBeyond(Position position, long timeoutMs) throws InterruptedException {
        synchronized (lock) {
            if (flushed.compareTo(position) <= 0 && !closed) {
                lock.wait(timeoutMs);
            }
        }
    }

    /** Bytes written but not yet read by the slowest reader (metrics, tests). */
    public long backlogBytes() {
        long total = 0;
        try {
            Position slowest = flushed;
            for (Reader r : readers.values()) {
                if (r.position().compareTo(slowest) < 0) {
                    slowest = r.position();
                }
            }
            for (long seg : segments()) {
                if (seg >= slowest.segment()) {
                    total += Files.size(segmentFile(seg)) - (seg == slowest.segment() ? slowest.offset() : 0);
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }

    /** Bytes flushed but not yet delivered by this reader: one sink's lag (metrics, status page). */
    public long lagBytes(Reader reader) {
        Position from = reader.position();
        long total = 0;
        try {
            for (long seg : segmentsFrom(from.segment())) {
                total += Files.size(segmentFile(seg)) - (seg == from.segment() ? from.offset() : 0);
            }
        } catch (IOException e) {
            return -1;
        }
        return Math.max(0, total);
    }

    // ---- reading ----------------------------------------------------------------------------

    /** The reader (sink cursor) of the given name, resumed from its saved position. */
    public Reader reader(String name) {
        return readers.computeIfAbsent(name, n -> {
            try {
                return new Reader(this, n, dir.resolve("readers").resolve(n + ".json"), oldestPosition());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    void release(Reader reader) {
        readers.remove(reader.name(), reader);
    }

    private Position oldestPosition() throws IOException {
        List<Long> segs = segments();
        return new Position(segs.isEmpty() ? segment : segs.get(0), 0);
    }

    long segmentSize(long seg) throws IOException {
        Path f = segmentFile(seg);
        return Files.exists(f) ? Files.size(f) : 0;
    }

    List<Long> segmentsFrom(long seg) throws IOException {
        List<Long> l = new ArrayList<>();
        for (long s : segments()) {
            if (s >= seg) {
                l.add(s);
            }
        }
        return l;
    }

    @Override
    public void close() {
        flusher.shutdownNow();
        synchronized (lock) {
            if (closed) {
                return;
            }
            flushLocked();
            try {
                writeSnapshotLocked();
                out.close();
            } catch (IOException e) {
                LOG.warn("Spool close: {}", e.getMessage());
            }
            closed = true;
            lock.notifyAll();
        }
    }
}
