package io.dockwatch.source.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import io.dockwatch.docker.DirectStream;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import io.dockwatch.record.Utf8;
import io.dockwatch.source.logs.file.FileReadLoop;
import io.dockwatch.source.logs.file.JsonFileLog;
import io.dockwatch.source.logs.file.LogFileReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one container's log from its checkpoint to the end of the container's run, then checks
 * whether it was started again meanwhile. Lines read in one go are emitted as one batch with the
 * position after them, so the position is durable exactly when they are.
 */
final class LogFollower implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);
    static final int MAX_LINE_BYTES = io.dockwatch.docker.LogStreamFrames.MAX_LINE_BYTES;
    private static final int MAX_BATCH_LINES = 500;
    private static final int MAX_BATCH_BYTES = 256 * 1024;
    static final long BATCH_LINGER_NANOS = 20_000_000L;

    /** Where a follower with no checkpoint starts. */
    enum Start { FROM_BEGINNING, BACKLOG }

    private final LogsConsumer owner;
    private final DockerDaemon daemon;
    private final String id;
    private final String checkpointKey;
    private final Start start;
    private final io.dockwatch.context.ContainerContexts.LineRecorder contextLines;
    private volatile boolean stopped;
    private volatile boolean again;
    /** Ended by an error, not by the container's end or a stop: to be read again later. */
    private volatile boolean failed;
    private final LogPosition startedAt;
    private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile DirectStream current;
    /** The stream is being read by the consumer's read loop, not by a thread of this follower. */
    private volatile boolean inLoop;
    private LogEntryParser parser;
    /** The read loop is in {@link #readAvailable}: it emits what it reads, the ticker need not wait for it. */
    private volatile boolean beingRead;
    /** Set instead of a stream when the log is read from its json-file files (source/logs/file). */
    private volatile LogFileReader fileLog;
    private final FileReadLoop.Tail fileTail = this::pollFile;
    private volatile FileReadLoop fileLoop;
    private volatile boolean runningAtFileOpen;
    private volatile boolean fileCheckPending;
    /** The container stopped or is gone: read the file to its end, then end as a stream ends. */
    private volatile boolean fileDrainThenEnd;
    private volatile boolean removed;

    private LogPosition position;
    private LogPosition lastSafe;
    private final List<Record> batch = new ArrayList<>();
    private long batchBytes;
    private long batchStartedNanos;
    private LogPosition batchPosition;
    private MultilineMerger[] mergers;
    private Pattern multilinePattern;
    /** The start pattern ran out of time once: this container's lines are no longer merged. */
    private boolean multilineTooSlow;
    private final LogPosition[] groupStart = new LogPosition[3];
    private long multilineTimeoutNanos;

    LogFollower(LogsConsumer owner, DockerDaemon daemon, String id, LogPosition position, Start start) {
        this.owner = owner;
        this.daemon = daemon;
        this.id = id;
        this.position = position;
        this.startedAt = position;
        this.start = start;
        this.checkpointKey = LogsConsumer.checkpointKey(daemon, id);
        this.contextLines = owner.contexts().lines(daemon.key(), id);
        // at once, on the thread that saw the start event: its die event, handled right after,
        // must find the log being followed and wait for its last lines
        owner.contexts().logsFollowing(daemon.key(), id);
    }

    String containerId() {
        return id;
    }

    LogPosition position() {
        return position;
    }

    boolean failed() {
        return failed;
    }

    /** Whether this follower moved its container's position before it ended. */
    boolean madeProgress() {
        return position != null && !position.equals(startedAt);
    }

    /** The container started or died again: read once more after the current stream ends. */
    void readAgain() {
        again = true;
        FileReadLoop loop = fileLoop;
        if (loop != null && fileLog != null) {
            loop.wakeUp(fileTail); // a die event: the file's end is there, no need to wait for the next poll
        }
    }

    void stop() {
        stopped = true;
        DirectStream r = current;
        if (r != null) {
            r.close();
        }
        if (inLoop) {
            owner.submit(this, this::end); // the read loop drops a closed stream without a word
        }
    }

    /**
     * Reads the container's log from its checkpoint to the end of the container's run, on a
     * reader thread. A stream with a selectable connection is handed to the consumer's read loop,
     * which calls {@link #streamEnded()} or {@link #streamFailed} when it is over; this continues
     * there, on a reader thread again. Only a TLS stream is read here, on this thread.
     */
    @Override
    public void run() {
        try {
            readRuns();
        } catch (IOException | InterruptedException | RuntimeException e) {
            failure(e);
            end();
        }
    }

    private void readRuns() throws IOException, InterruptedException {
        while (!stopped) {
            again = false;
            JsonNode inspect = daemon.get("/containers/" + id + "/json");
            JsonNode state = inspect.path("State");
            String finishedAt = state.path("FinishedAt").asText(null);
            boolean running = state.path("Running").asBoolean();
            if (!running && position != null && finishedAt != null && finishedAt.equals(position.finishedAt())) {
                break; // read to the end of this run already
            }
            java.nio.file.Path logFile = owner.logFiles().fileFor(daemon, id, inspect);
            if (logFile != null) {
                openFile(inspect, logFile);
                if (stopped) {
                    break;
                }
                inLoop = true;
                fileLoop = owner.fileReadLoop();
                fileLoop.add(fileTail);
                return; // continues in streamEnded() or streamFailed(), as a stream does
            }
            DirectStream stream = open(inspect);
            if (stopped) {
                break;
            }
            if (stream.selectableChannel() != null) {
                inLoop = true;
                owner.readLoop().add(this);
                return; // continues in streamEnded() or streamFailed()
            }
            // TLS: blocking reads, on a thread of their own (a step thread is for short steps)
            owner.startBlockingReader(this, () -> {
                try {
                    readBlocking(stream);
                    if (afterStream()) {
                        readRuns();
                    } else {
                        end();
                    }
                } catch (IOException | InterruptedException | RuntimeException e) {
                    failure(e);
                    end();
                }
            });
            return;
        }
        end();
    }

    /** One of this follower's steps threw what its own handling did not expect: ended as failed, to be followed again. */
    void failedUnexpectedly(Throwable e) {
        if (!stopped) {
            failed = true;
        }
        end();
    }

    private DirectStream open(JsonNode inspect) throws IOException {
        boolean tty = prepareLines(inspect);

        StringBuilder q = new StringBuilder("/containers/").append(id).append("/logs?stdout=1&stderr=1&follow=1&timestamps=1");
        if (position != null) {
            q.append("&since=").append(position.sinceParam());
        } else if (start == Start.BACKLOG) {
            q.append(owner.backlogQuery());
        }
        parser = new LogEntryParser(tty, MAX_LINE_BYTES, this::onLine);
        if (position != null) {
            parser.resumeAt(position.ts(), position.count());
        }
        DirectStream stream = daemon.directStream(q.toString());
        current = stream;
        if (stopped) {
            stream.close();
        }
        return stream;
    }

    /** What lines of either path go through: multiline merging, the position. Returns whether the container has a TTY. */
    private boolean prepareLines(JsonNode inspect) {
        Pattern multiline = multilineTooSlow ? null
                : owner.multilineStart(inspect.path("Config").path("Labels").path(Fields.LABEL_MULTILINE_START).asText(null));
        multilinePattern = multiline;
        MultilineMerger.Budget budget = new MultilineMerger.Budget();
        mergers = multiline == null ? null
                : new MultilineMerger[] {null, new MultilineMerger(multiline, MAX_LINE_BYTES, budget),
                        new MultilineMerger(multiline, MAX_LINE_BYTES, budget)};
        multilineTimeoutNanos = owner.multilineTimeoutNanos();
        lastSafe = position;
        return inspect.path("Config").path("Tty").asBoolean();
    }

    /** The file path: from the same checkpoint the API path keeps, or by the same backlog policy. */
    private void openFile(JsonNode inspect, java.nio.file.Path logFile) throws IOException {
        boolean tty = prepareLines(inspect);
        JsonFileLog.Start from = position != null ? JsonFileLog.Start.after(position.ts(), position.count())
                : start == Start.BACKLOG ? owner.backlogStart() : JsonFileLog.Start.all();
        runningAtFileOpen = inspect.path("State").path("Running").asBoolean();
        fileDrainThenEnd = false;
        fileLog = owner.logFiles().open(logFile, tty, MAX_LINE_BYTES, from, this::onLine);
    }

    /**
     * The file read loop's thread: reads what the file has. Caught up, it asks (once per event)
     * whether the container still runs; once it does not, the file is read to its end and the
     * follower goes on as after the end of a stream.
     */
    private int pollFile(io.dockwatch.source.logs.file.ReadBuffers buffers) {
        LogFileReader log = fileLog;
        if (stopped || log == null) {
            return -1;
        }
        int n = 0;
        beingRead = true; // as readAvailable: the ticker does not wait on a busy file
        try {
            synchronized (this) {
                int chunk;
                do {
                    chunk = log.read(FileReadLoop.READ_CHUNK_BYTES, buffers);
                    emitIfFull();
                    n += chunk;
                } while (chunk > 0 && n < FileReadLoop.MAX_BYTES_PER_POLL && !stopped);
            }
        } catch (IOException | RuntimeException e) {
            streamFailed(e);
            return -1;
        } finally {
            beingRead = false;
        }
        if (n > 0) {
            return n;
        }
        if (fileDrainThenEnd || removed) {
            streamEnded();
            return -1;
        }
        if ((again || !runningAtFileOpen) && !fileCheckPending) {
            again = false;
            fileCheckPending = true;
            owner.submit(this, this::checkFileStillWritten);
        }
        return 0;
    }

    private void checkFileStillWritten() {
        try {
            boolean running = daemon.get("/containers/" + id + "/json").path("State").path("Running").asBoolean();
            if (running) {
                runningAtFileOpen = true;
                return;
            }
            fileDrainThenEnd = true; // Docker closed the file before its die event: what is there is all
        } catch (DockerApiException e) {
            if (!e.isNotFound()) {
                again = true; // a daemon hiccup: ask again at the next poll that catches up
                return;
            }
            fileDrainThenEnd = true;
        } finally {
            fileCheckPending = false;
        }
        fileLoop.wakeUp(fileTail);
    }

    /**
     * The container was removed. Read from its file, the log is read to the end of the file held
     * open (removing the folder does not take an open file away); returns false when there is no
     * such file and the follower is to be stopped.
     */
    boolean removedWhileReadingFile() {
        if (fileLog == null || !inLoop || stopped) {
            return false;
        }
        removed = true;
        fileLoop.wakeUp(fileTail);
        return true;
    }

    boolean removed() {
        return removed;
    }

    /** A TLS stream: read on this thread until it ends, pausing once caught up as the read loop does. */
    private void readBlocking(DirectStream stream) throws IOException {
        try (stream) {
            while (!stopped) {
                byte[] buf = parser.buffer();
                int off = parser.writeOffset();
                int n = stream.read(buf, off, buf.length - off);
                if (n < 0) {
                    break;
                }
                synchronized (this) {
                    parser.parse(n);
                    emitIfFull();
                }
                if (n < LogReadLoop.CAUGHT_UP_BYTES) {
                    java.util.concurrent.locks.LockSupport.parkNanos(LogReadLoop.CATCH_UP_PAUSE_NANOS);
                }
            }
        }
    }

    /** The read loop's thread: reads what has arrived, emitting a batch once it is full. */
    int readAvailable(java.nio.ByteBuffer shared) throws IOException {
        beingRead = true;
        try {
            synchronized (this) {
                int n = parser.readFrom(current, shared);
                emitIfFull();
                return n;
            }
        } finally {
            beingRead = false;
        }
    }

    java.nio.channels.SocketChannel selectableChannel() {
        DirectStream s = current;
        if (s == null) {
            throw new IllegalStateException("no stream open for " + id);
        }
        return s.selectableChannel();
    }

    /** The read loop saw the end of the stream (the container stopped, or the daemon closed it). */
    void streamEnded() {
        inLoop = false;
        owner.submit(this, () -> {
            try {
                if (afterStream()) {
                    readRuns();
                } else {
                    end();
                }
            } catch (IOException | InterruptedException | RuntimeException e) {
                failure(e);
                end();
            }
        });
    }

    /** The read loop could not read the stream (a broken connection, a refused batch, a stop). */
    void streamFailed(Exception e) {
        inLoop = false;
        DirectStream s = current;
        if (s != null) {
            s.close();
        }
        owner.submit(this, () -> {
            failure(e);
            end();
        });
    }

    /**
     * After the end of a stream: emits what is left; then whether to read again (the container
     * runs again, or was started or died again while we read).
     */
    private boolean afterStream() throws IOException, InterruptedException {
        DirectStream s = current;
        current = null;
        if (s != null) {
            s.close();
        }
        if (stopped) {
            return false;
        }
        synchronized (this) {
            LogFileReader log = fileLog;
            if (log != null) {
                fileLog = null;
                log.finish();
                log.close();
            } else {
                parser.finish();
            }
            flushMergers(true);
            emitBatch();
        }
        JsonNode after = daemon.get("/containers/" + id + "/json").path("State");
        if (after.path("Running").asBoolean()) {
            again = true; // the stream ended but the container runs: restarted, or a daemon hiccup
            Thread.sleep(100);
        } else if (!again) {
            markFinished(after.path("FinishedAt").asText(null));
        }
        return again && !stopped;
    }

    private void failure(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return;
        }
        if (stopped) {
            return;
        }
        if (e instanceof DockerApiException d) {
            if (d.isNotFound()) {
                return; // the container is gone: nothing more to read
            }
            failed = true;
            // an unreachable daemon is reported once, by its event stream
            if (d.isUnreachable()) {
                LOG.debug("Log of {} on {}: {}", id, daemon, d.getMessage());
            } else {
                LOG.warn("Log of {} on {}: {}; reading it again from its checkpoint", id, daemon, d.getMessage());
            }
        } else if (e instanceof IOException) {
            failed = true;
            LOG.warn("Log stream of {} on {} broke ({}); reading it again from its checkpoint", id, daemon, e.toString());
        } else {
            failed = true;
            LOG.warn("Log follower for {} on {} failed: {}", id, daemon, e.toString());
        }
    }

    /** Once, however the follower ends: a die event's context no longer waits for it. */
    private void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        DirectStream s = current;
        current = null;
        if (s != null) {
            s.close();
        }
        synchronized (this) {
            LogFileReader log = fileLog;
            fileLog = null;
            if (log != null) {
                log.close();
            }
        }
        owner.contexts().logsDone(daemon.key(), id);
        owner.finished(this);
    }

    private void emitIfFull() {
        if (batch.size() >= MAX_BATCH_LINES || batchBytes >= MAX_BATCH_BYTES) {
            emitBatch();
        }
    }

    /** Called by the parser for each whole line, under this follower's lock. */
    private void onLine(String stream, String ts, byte[] message, String safeTs, int safeCount) {
        LogPosition before = lastSafe;
        if (safeTs != null) {
            lastSafe = new LogPosition(safeTs, safeCount, null);
        }
        if (mergers == null) {
            add(record(stream, ts, message));
            if (safeTs != null) {
                batchPosition = lastSafe;
            }
            return;
        }
        int s = "stderr".equals(stream) ? 2 : 1;
        MultilineMerger m = mergers[s];
        MultilineMerger.Merged done;
        try {
            done = m.add(stream, ts, Utf8.text(message));
        } catch (MultilineMerger.TooSlow e) {
            stopMerging(e);
            add(record(stream, ts, message));
            if (safeTs != null) {
                batchPosition = lastSafe;
            }
            return;
        }
        if (done != null) {
            add(record(done.stream(), done.timestamp(), done.utf8()));
            groupStart[s] = before;
        } else if (groupStart[s] == null) {
            groupStart[s] = before;
        }
        batchPosition = multilinePosition();
    }

    /**
     * The container's start pattern used up its time (see {@link MultilineMerger}): what is merged
     * so far goes out, and its lines go out one by one from now on, so that it cannot hold up the
     * read loop it shares with other containers.
     */
    private void stopMerging(MultilineMerger.TooSlow why) {
        for (int s = 1; s <= 2; s++) {
            MultilineMerger.Merged m = mergers[s].flush();
            if (m != null) {
                add(record(m.stream(), m.timestamp(), m.utf8()));
            }
            groupStart[s] = null;
        }
        mergers = null;
        multilineTooSlow = true;
        LOG.warn("Multiline pattern '{}' of container {} on {} is too slow ({}); its lines are no longer merged",
                multilinePattern, id, daemon, why.getMessage());
    }

    /** With groups still open, the position may only go up to where the earliest one began. */
    private LogPosition multilinePosition() {
        LogPosition earliest = null;
        for (int s = 1; s <= 2; s++) {
            if (mergers[s].hasPending() && groupStart[s] != null && earliest == null) {
                earliest = groupStart[s];
            }
        }
        boolean anyPending = mergers[1].hasPending() || mergers[2].hasPending();
        return anyPending ? earliest : lastSafe;
    }

    /** Called by the consumer's ticker: emits lines that waited long enough, and merged records whose continuation did not come in time. */
    void flushIdle() {
        if (beingRead) {
            return; // a flooding stream's reader holds the lock most of the time: next tick (the ticker serves every follower)
        }
        synchronized (this) {
            flushIdleLocked();
        }
    }

    private void flushIdleLocked() {
        boolean merged = mergers != null && flushMergers(false);
        if (merged || (!batch.isEmpty() && System.nanoTime() - batchStartedNanos >= BATCH_LINGER_NANOS)) {
            emitBatch();
        }
    }

    private boolean flushMergers(boolean all) {
        if (mergers == null) {
            return false;
        }
        boolean any = false;
        for (int s = 1; s <= 2; s++) {
            MultilineMerger.Merged m = all ? mergers[s].flush() : mergers[s].flushIfIdle(multilineTimeoutNanos);
            if (m != null) {
                add(record(m.stream(), m.timestamp(), m.utf8()));
                groupStart[s] = null;
                any = true;
            }
        }
        if (any) {
            batchPosition = multilinePosition();
        }
        return any;
    }

    private void add(Record r) {
        if (batch.isEmpty()) {
            batchStartedNanos = System.nanoTime();
        }
        batch.add(r);
        batchBytes += r.messageLength() + 200;
    }

    private Record record(String stream, String ts, byte[] message) {
        String when = ts != null ? ts : Record.rfc3339(java.time.Instant.now());
        contextLines.line(when, stream, message);
        return Record.logLineUtf8(when, daemon.hostName(), daemon.endpointText(), daemon.daemonId(), id, message, stream);
    }

    private void emitBatch() {
        if (batch.isEmpty() && (batchPosition == null || batchPosition.equals(position))) {
            return;
        }
        LogPosition pos = batchPosition != null ? batchPosition : position;
        List<Record> records = new ArrayList<>(batch);
        batch.clear();
        batchBytes = 0;
        if (owner.emitLines(daemon, records, checkpointKey, pos)) {
            position = pos;
        } else {
            throw new IllegalStateException("route refused log records of " + id);
        }
    }

    private synchronized void markFinished(String finishedAt) {
        if (position != null && finishedAt != null) {
            position = position.finished(finishedAt);
            owner.emitLines(daemon, List.of(), checkpointKey, position);
        }
    }
}
