package io.dockwatch.spool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import io.dockwatch.spool.SpoolOverflow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 *
 * <p>When the disk is full (or a write fails otherwise) a flush is all or nothing: whatever part of
 * it reached the file is cut off again, the buffer keeps the records, and the next attempt writes
 * them from the same place, so no line is torn or written twice. Meanwhile the buffer stays at one
 * flush: sources wait in {@link #append} (Docker keeps their logs), one WARN says so and one INFO
 * when writes work again ({@link #writeFailingSinceMillis()}, {@link #pausedMillis()}).
 *
 * <p>Durability: a flush is a {@code write()} into the page cache, which survives the process
 * (SIGKILL) but not the machine; segments are forced to disk at most every {@code syncInterval}
 * (a group commit) and always before a snapshot points past them. See docs/durability.md.
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
    /** While writes fail, how often a flush is tried again (each try writes, then cuts back, up to one flush). */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** What a spool's segments are forced to disk at most this often by default: see docs/durability.md. */
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMillis(200);
    private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{1,18})\\.seg");

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
    private final StateRecovery recovery;
    /** 0: force every flush to disk; else at most this often (group commit). */
    private final long syncIntervalNanos;
    private long lastSyncNanos;
    private boolean unsynced;
    /** The segment the last written snapshot starts from: older segments hold no checkpoint it lacks. */
    private long snapshotSegment;
    private boolean snapshotDue;
    private boolean upkeepFailing;
    /** Since when (System.currentTimeMillis) flushes fail; 0 while they work. */
    private volatile long writeFailingSince;
    private volatile String writeError;
    private long lastAttemptNanos;
    private final AtomicLong pausedNanos = new AtomicLong();
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
        this(dir, checkpoints, bound, DEFAULT_SYNC_INTERVAL);
    }

    /** @param syncInterval how often at most written records are forced to disk; zero: at every flush */
    public Spool(Path dir, CheckpointStore checkpoints, Bound bound, Duration syncInterval) {
        this.dir = dir;
        this.bound = bound;
        this.syncIntervalNanos = syncInterval.toNanos();
        this.recovery = checkpoints.recovery();
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

    // ---- start-up: rebuild checkpoints, cut a torn tail, step over damage -------------------

    /*
     * What start-up finds after a crash or a power loss, and what it does:
     *
     *   checkpoints.json empty / not JSON ─► WARN, counted; checkpoints from every segment's lines
     *   segment ends without a newline    ─► WARN, counted; cut (the batch never counted: its
     *                                         checkpoint line is in the torn part)
     *   damaged line in the last segment  ─► WARN, counted; cut from there: its checkpoint and all
     *   (NUL bytes, not {..} or #..)         later ones go too, so sources read those records again
     *   damaged line in an older segment  ─► WARN, counted; blanked to padding that readers skip
     *
     * Only what was written after the snapshot is walked: the snapshot is written only after the
     * segments before its position were forced to disk, so a power loss cannot damage those.
     */
    private void recover() throws IOException {
        Position from = new Position(0, 0);
        ObjectNode snap = StateFiles.readObject(snapshotFile, recovery,
                "reading every source's checkpoint from the spool segments instead");
        if (snap != null) {
            if (snap.path("positions") instanceof ObjectNode positions && snap.path("segment").canConvertToLong()
                    && snap.path("offset").canConvertToLong()) {
                checkpoints.load(positions);
                from = new Position(snap.path("segment").asLong(), snap.path("offset").asLong());
                snapshotSegment = from.segment();
            } else {
                recovery.recovered(snapshotFile, "not a checkpoint snapshot",
                        "reading every source's checkpoint from the spool segments instead");
            }
        }
        Files.deleteIfExists(snapshotFile.resolveSibling(snapshotFile.getFileName() + ".tmp"));
        List<Long> segments = segments();
        long last = segments.isEmpty() ? -1 : segments.get(segments.size() - 1);
        for (long seg : segments) {
            if (seg >= from.segment()) {
                recoverSegment(seg, seg == from.segment() ? from.offset() : 0, seg == last);
            }
        }
        segment = segments.isEmpty() ? 1 : last;
        for (long seg : segments) {
            if (seg != segment) {
                diskBytes += Files.size(segmentFile(seg));
            }
        }
        openSegment(segment);
        diskBytes += size;
        flushed = new Position(segment, size);
        lastSnapshot = System.nanoTime();
        lastSyncNanos = lastSnapshot;
    }

    private void recoverSegment(long seg, long from, boolean isLast) throws IOException {
        Path file = segmentFile(seg);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long fileSize = ch.size();
            long[] cutAt = {-1};
            List<long[]> blank = new ArrayList<>();
            long wholeEnd = SegmentLines.walk(ch, Math.min(from, fileSize), fileSize, (start, end, kind, line) -> {
                boolean damaged = kind == SegmentLines.Kind.DAMAGED
                        || (kind == SegmentLines.Kind.CHECKPOINT && !checkpoints.applyLine(line, 0, line.length));
                if (!damaged) {
                    return true;
                }
                if (isLast) {
                    cutAt[0] = start;
                    return false;
                }
                blank.add(new long[] {start, end});
                return true;
            });
            if (cutAt[0] >= 0) {
                recovery.recovered(file, "damaged line at byte " + cutAt[0],
                        "cut " + (fileSize - cutAt[0]) + " bytes from there; sources read those records again from "
                                + "their last checkpoint before it");
                ch.truncate(cutAt[0]);
            } else if (wholeEnd < fileSize) {
                // a write cut short by a crash of the machine: the partial batch never counted
                recovery.recovered(file, "ends in a partial write",
                        "cut its last " + (fileSize - wholeEnd) + " bytes; sources read those records again");
                ch.truncate(wholeEnd);
            }
            for (long[] range : blank) {
                recovery.recovered(file, "damaged line at byte " + range[0],
                        "blanked its " + (range[1] - range[0]) + " bytes; sinks skip it, its records are lost");
                blankLine(ch, range[0], range[1]);
            }
            if (cutAt[0] >= 0 || wholeEnd < fileSize || !blank.isEmpty()) {
                ch.force(false);
            }
        }
    }

    /** Overwrites a damaged line with padding ({@code #} and spaces) that readers skip and start-up ignores. */
    private static void blankLine(FileChannel ch, long start, long end) throws IOException {
        byte[] pad = new byte[(int) Math.min(64 * 1024, end - start)];
        Arrays.fill(pad, (byte) ' ');
        pad[0] = '#';
        for (long pos = start; pos < end; ) {
            int n = (int) Math.min(pad.length, end - pos);
            ByteBuffer bb = ByteBuffer.wrap(pad, 0, n);
            while (bb.hasRemaining()) {
                pos += ch.write(bb, pos);
            }
            pad[0] = ' ';
        }
    }

    private List<Long> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> SEGMENT_NAME.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> Long.parseLong(m.group(1))).sorted().toList();
        }
    }

    Path segmentFile(long seg) {
        String n = Long.toString(seg);
        return dir.resolve("0".repeat(Math.max(0, 12 - n.length())) + n + ".seg"); // %012d without a Formatter
    }

    private static long sizeOrZero(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return 0; // dropped (a full spool) or consumed meanwhile
        }
    }

    private void openSegment(long seg) throws IOException {
        FileChannel next = FileChannel.open(segmentFile(seg), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        if (out != null) {
            out.close();
        }
        out = next;
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
            awaitWritableLocked(json.length + 1);
            ensureCapacity(json.length + 1);
            System.arraycopy(json, 0, buf, len, json.length);
            len += json.length;
            buf[len++] = '\n';
            for (Checkpoint c : positions) {
                pending.put(c.key(), c.position());
            }
            if (len >= flushBytes && writeFailingSince == 0) {
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
            awaitWritableLocked(length);
            ensureCapacity(length);
            System.arraycopy(ndjson, 0, buf, len, length);
            len += length;
            for (Checkpoint c : positions) {
                pending.put(c.key(), c.position());
            }
            if (len >= flushBytes && writeFailingSince == 0) {
                flushLocked();
            }
        }
    }

    /**
     * While flushes fail (disk full), the buffer holds one flush and no more: a source adding to it
     * waits here until a flush works again, so memory stays bounded and the source's own reader
     * (a Docker log stream) stops, with Docker keeping the logs. One record always fits into an
     * empty buffer, however long.
     */
    private void awaitWritableLocked(int extra) {
        long started = 0;
        while (!closed && writeFailingSince != 0 && len > 0 && len + extra > flushBytes) {
            if (started == 0) {
                started = System.nanoTime();
            }
            try {
                lock.wait(BLOCK_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while the spool cannot write", e);
            } finally {
                if (started != 0) {
                    long now = System.nanoTime();
                    pausedNanos.addAndGet(now - started);
                    started = now;
                }
            }
        }
        if (closed) {
            throw new IllegalStateException("Spool is closed");
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
     * is written at every segment change, and only segments before the last written snapshot go,
     * so no source position lives only in a dropped segment.
     */
    private void dropOldestLocked() throws IOException {
        for (long seg : segments()) {
            if (diskBytes <= bound.maxBytes() || seg >= Math.min(segment, snapshotSegment)) {
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
        long[] n = {0};
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SegmentLines.walk(ch, Math.min(from, ch.size()), ch.size(), (start, end, kind, line) -> {
                if (kind == SegmentLines.Kind.RECORD) {
                    n[0]++;
                }
                return true;
            });
        }
        return n[0];
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

    /** Writes what is buffered now; when the disk is full it stays buffered (see {@link #writeFailingSinceMillis}). */
    public void flush() {
        synchronized (lock) {
            flushLocked();
        }
    }

    private void flushQuietly() {
        try {
            synchronized (lock) {
                flushLocked();
                if (unsynced && syncDue()) {
                    syncLocked(); // the group commit also covers a flow that stopped
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Spool flush failed: {}", e.toString());
        }
    }

    /**
     * One flush: the buffered records and then the checkpoint line of the sources they complete,
     * in one write. All or nothing: when the write fails part way (a short write and then ENOSPC),
     * what reached the segment is cut off again and the buffer is kept as it was, so the next try
     * writes the same bytes at the same place; the checkpoint line is made again from the pending
     * positions each time, never added to the buffer twice. Returns whether the records are written.
     */
    private boolean flushLocked() {
        if (len == 0 && pending.isEmpty()) {
            return true;
        }
        long now = System.nanoTime();
        if (writeFailingSince != 0 && now - lastAttemptNanos < RETRY_NANOS) {
            return false;
        }
        lastAttemptNanos = now;
        int recordsLen = len;
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
            writeWholeLocked(len);
        } catch (IOException e) {
            len = recordsLen;
            writeFailedLocked(e);
            return false;
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
        unsynced = true;
        if (writeFailingSince != 0) {
            LOG.info("Spool writes again after {} s; sources resume", (System.currentTimeMillis() - writeFailingSince + 999) / 1000);
            writeFailingSince = 0;
            writeError = null;
        }
        lock.notifyAll();
        upkeepLocked();
        return true;
    }

    /** Appends {@code buf[0, length)} to the segment whole, or cuts it back to where it was and throws. */
    private void writeWholeLocked(int length) throws IOException {
        if (out.size() != size) {
            out.truncate(size); // the part of an earlier failed write that could not be cut then
        }
        try {
            StateFiles.writeFully(out, ByteBuffer.wrap(buf, 0, length));
        } catch (IOException e) {
            try {
                out.truncate(size);
            } catch (IOException t) {
                e.addSuppressed(t); // cut at the start of the next try
            }
            throw e;
        }
    }

    private void writeFailedLocked(IOException e) {
        writeError = e.getMessage() == null ? e.toString() : e.getMessage();
        if (writeFailingSince == 0) {
            writeFailingSince = System.currentTimeMillis();
            LOG.warn("Spool cannot write to {}: {}; sources pause (Docker keeps their logs) until it can, "
                    + "trying again every {} ms", segmentFile(segment), writeError, TimeUnit.NANOSECONDS.toMillis(RETRY_NANOS));
        }
        lock.notifyAll();
    }

    /**
     * After a written flush: the group commit, the next segment, the snapshot, clean-up. A failure
     * here loses nothing (the records are written): it is tried again after the next flush.
     */
    private void upkeepLocked() {
        try {
            if (syncDue()) {
                syncLocked();
            }
            if (size >= segmentBytes) {
                rollLocked();
            } else if (snapshotDue || System.nanoTime() - lastSnapshot > SNAPSHOT_PERIOD_NANOS) {
                writeSnapshotLocked();
            }
            if (diskBytes > bound.maxBytes() && bound.overflow() == SpoolOverflow.DROP_OLDEST) {
                deleteConsumedSegments();
                dropOldestLocked();
            }
            if (upkeepFailing) {
                upkeepFailing = false;
                LOG.info("Spool snapshot and clean-up in {} work again", dir);
            }
        } catch (IOException e) {
            snapshotDue = true;
            if (!upkeepFailing) {
                upkeepFailing = true;
                LOG.warn("Spool snapshot or clean-up in {} failed: {}; the records are written, trying again after the next flush",
                        dir, e.toString());
            }
        }
    }

    private boolean syncDue() {
        return syncIntervalNanos == 0 || System.nanoTime() - lastSyncNanos >= syncIntervalNanos;
    }

    private void syncLocked() throws IOException {
        out.force(false);
        unsynced = false;
        lastSyncNanos = System.nanoTime();
    }

    /** The next segment; the full one is forced to disk first, since the snapshot then points past it. */
    private void rollLocked() throws IOException {
        if (unsynced) {
            syncLocked();
        }
        openSegment(segment + 1);
        segment++;
        StateFiles.syncDirectory(dir);
        flushed = new Position(segment, size);
        writeSnapshotLocked();
    }

    private void writeSnapshotLocked() throws IOException {
        if (unsynced) {
            syncLocked(); // never a snapshot pointing past records a power loss could still take
        }
        ObjectNode snap = Json.NODES.objectNode();
        snap.put("segment", flushed.segment());
        snap.put("offset", flushed.offset());
        snap.set("positions", checkpoints.snapshot());
        StateFiles.writeAtomically(snapshotFile, Json.MAPPER.writeValueAsBytes(snap));
        snapshotSegment = flushed.segment();
        snapshotDue = false;
        lastSnapshot = System.nanoTime();
        deleteConsumedSegments();
    }

    private void deleteConsumedSegments() throws IOException {
        long keepFrom = Math.min(flushed.segment(), snapshotSegment);
        for (Reader r : readers.values()) {
            keepFrom = Math.min(keepFrom, r.savedPosition().segment()); // a restart resumes there
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

    /** Since when (epoch ms) the spool cannot write, sources pausing; 0 while it can (metrics, health). */
    public long writeFailingSinceMillis() {
        return writeFailingSince;
    }

    /** Why the spool cannot write (null while it can). */
    public String writeError() {
        return writeError;
    }

    /** Time sources waited because the spool could not write (metrics). */
    public long pausedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(pausedNanos.get());
    }

    /** What was skipped in damaged state files of this collector's spools (metrics). */
    public StateRecovery recovery() {
        return recovery;
    }

    /** How often at most written data is forced to disk (0: at every flush); sink cursors group their commits by it too. */
    long syncIntervalNanos() {
        return syncIntervalNanos;
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
        Position end = flushedPosition();
        long total = 0;
        try {
            // segments are numbered one after the other: only the closed ones between are looked at, the
            // folder is not listed (the log followers' fairness samples this ten times a second)
            List<Long> between = end.segment() - from.segment() <= 64 ? null : segmentsFrom(from.segment());
            for (long seg = from.segment(); seg < end.segment(); seg++) {
                if (between == null || between.contains(seg)) {
                    total += sizeOrZero(segmentFile(seg)) - (seg == from.segment() ? from.offset() : 0);
                }
            }
            total += end.offset() - (end.segment() == from.segment() ? from.offset() : 0);
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
            lastAttemptNanos = 0; // a last try even while writes fail
            if (!flushLocked()) {
                // their checkpoints were never written either: the sources read these records again
                LOG.warn("Spool close: {} bytes of records could not be written ({}); their sources read them again "
                        + "at the next start", len, writeError);
            }
            try {
                writeSnapshotLocked();
            } catch (IOException e) {
                LOG.warn("Spool close: snapshot not written: {}", e.toString());
            }
            try {
                out.close();
            } catch (IOException e) {
                LOG.warn("Spool close: {}", e.getMessage());
            }
            closed = true;
            lock.notifyAll();
        }
    }
}
