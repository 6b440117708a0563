package io.dockwatch.spool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.RollbackExchangeException;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the spool into one sink: reads a batch, hands it to the route, and moves the cursor only
 * when the route succeeded. A failing sink retries the same batch with backoff, and only its own
 * cursor waits; sources and other sinks go on. With {@code batch=false} each record is its own
 * exchange (for stock endpoints that send one message per exchange: kafka:, http:, jms:...), and
 * the cursor moves once every record of the batch went through.
 */
final class SpoolConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolConsumer.class);
    private static final long MAX_BACKOFF_MS = 30_000;
    private static final long DRAIN_ON_STOP_MS = 5_000;
    /** One-record mode's cursor state: records past (segment, offset) already delivered. */
    private static final String STATE_SEGMENT = "segment";
    private static final String STATE_OFFSET = "offset";
    private static final String STATE_DELIVERED = "records_delivered";

    private final String sink;
    private final Set<String> kinds;
    private final int batchBytes;
    private final Spool spool;
    private final boolean perRecord;
    private final Progress progress = new Progress();
    private Reader reader;
    private volatile boolean running;
    private volatile long drainUntil = Long.MAX_VALUE;
    private Thread thread;
    private SpoolMonitor.SinkReport stats;

    SpoolConsumer(SpoolEndpoint endpoint, Processor processor, String sink, Set<String> kinds, int batchBytes,
            boolean perRecord, Spool spool) {
        super(endpoint, processor);
        this.perRecord = perRecord;
        this.sink = sink;
        this.kinds = kinds;
        this.batchBytes = batchBytes;
        this.spool = spool;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // The cursor is opened on start, not when Camel creates the consumer: Camel creates the
        // consumers of switched-off routes too (autoStartup false), and an open cursor that never
        // moves would keep every spool segment forever.
        reader = spool.reader(sink);
        if (perRecord) {
            progress.clear();
            progress.restore(reader.sinkState(), reader.position());
        }
        running = true;
        drainUntil = Long.MAX_VALUE;
        stats = ((SpoolComponent) getEndpoint().getComponent()).getMonitor().sink(reader.name(), spool, reader);
        thread = new Thread(this::loop, "dockwatch-sink-" + reader.name());
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    protected void doStop() throws Exception {
        if (thread == null) {
            // never started (a switched-off sink route): nothing to drain
            super.doStop();
            return;
        }
        // sources have stopped (sink routes start first, so they stop last): deliver what the
        // spool holds now, within a bound, then stop; the rest stays durable in the spool
        spool.flush();
        drainUntil = System.currentTimeMillis() + DRAIN_ON_STOP_MS;
        thread.join(DRAIN_ON_STOP_MS + 1000);
        running = false;
        thread.interrupt();
        thread.join(1000);
        if (!thread.isAlive()) {
            saveProgress(); // a restart resends nothing of a half-delivered batch
        }
        thread = null;
        super.doStop();
    }

    private void loop() {
        long backoffMs = 200;
        boolean failing = false;
        while (running) {
            Reader.Batch batch;
            try {
                batch = reader.next(batchBytes, drainUntil == Long.MAX_VALUE ? 200 : 1);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warn("Reading spool for sink {} failed: {}", reader.name(), e.toString());
                sleep(1000);
                continue;
            }
            boolean caughtUp = batch.isEmpty() && batch.next().equals(reader.position());
            if (caughtUp) {
                stats.caughtUp();
                if (drainUntil != Long.MAX_VALUE) {
                    return;
                }
                continue;
            }
            RecordBatch records = kinds.isEmpty() ? batch.records() : new RecordBatch(filter(batch.records().lines()));
            try {
                Delivered done = Delivered.NOTHING;
                if (failing) {
                    stats.retrying(records.size() - progress.delivered(reader.position()));
                }
                if (records.size() > 0) {
                    done = perRecord ? new Delivered(deliverEach(records), false) : deliverWhole(records);
                }
                reader.commit(batch.next(), done.sinkState(), done.commitMayWait());
                progress.clear();
                if (!failing || records.size() > 0) { // not a mere jump past records the spool dropped
                    stats.delivered(records.size()); // says "recovered" once after failures
                    failing = false;
                }
                backoffMs = 200;
            } catch (Exception e) {
                stats.failed(records.size(), e); // says "failing" once per streak
                failing = true;
                saveProgress();
                if (System.currentTimeMillis() >= drainUntil) {
                    return;
                }
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            }
        }
    }

    /** A delivered batch: the sink's new state (or null) and whether its commit may wait (see {@link RecordBatch#COMMIT_MAY_WAIT}). */
    private record Delivered(JsonNode sinkState, boolean commitMayWait) {
        static final Delivered NOTHING = new Delivered(null, false);
    }

    /** The whole batch in one exchange, once it completed. */
    private Delivered deliverWhole(RecordBatch records) throws Exception {
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(records);
        exchange.setProperty(SpoolMonitor.SinkReport.PROPERTY, stats);
        exchange.getMessage().setHeader(RecordBatch.SINK_STATE_HEADER, reader.sinkState());
        try {
            getProcessor().process(exchange);
            failIfNotCompleted(exchange);
            return new Delivered(exchange.getProperty(RecordBatch.NEW_SINK_STATE, JsonNode.class),
                    Boolean.TRUE.equals(exchange.getProperty(RecordBatch.COMMIT_MAY_WAIT, Boolean.class)));
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /**
     * One exchange per record (body: the record's JSON text), in spool order. Records that went
     * through while a later one fails are not sent again when the batch is retried, and that count
     * is saved with the cursor on failure and at stop, so a receiver's outage or a restart during
     * one repeats nothing. Returns the cursor state for a completed batch (no progress pending).
     */
    private JsonNode deliverEach(RecordBatch records) throws Exception {
        List<byte[]> lines = records.lines();
        for (int i = progress.delivered(reader.position()); i < lines.size(); i++) {
            byte[] line = lines.get(i);
            Exchange exchange = createExchange(false);
            exchange.getMessage().setBody(new String(line, StandardCharsets.UTF_8));
            exchange.getMessage().setHeader(RecordBatch.KIND_HEADER, kindOf(line));
            exchange.setProperty(SpoolMonitor.SinkReport.PROPERTY, stats);
            try {
                getProcessor().process(exchange);
                failIfNotCompleted(exchange);
            } finally {
                releaseExchange(exchange, false);
            }
            progress.delivered(reader.position(), i + 1);
        }
        return progress.savedAt == null ? null : Json.NODES.objectNode(); // clears a saved count
    }

    /**
     * A route that ends with an exception, or marked for rollback (a {@code rollback} step, a
     * {@code filter} that rolls back), has not delivered: the cursor stays. An exception that the
     * route's own error handler handled (a dead-letter channel, {@code onException} with
     * {@code handled: true}) counts as delivered, as Camel means it.
     */
    private static void failIfNotCompleted(Exchange exchange) throws Exception {
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
        if (exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()) {
            throw new RollbackExchangeException("The route rolled the exchange back", exchange);
        }
    }

    /** Saves how many records past the cursor are delivered (one-record mode, after a failure or at stop). */
    private void saveProgress() {
        Spool.Position at = reader.position();
        int delivered = progress.delivered(at);
        if (!perRecord || delivered == 0 || at.equals(progress.savedAt) && delivered == progress.savedCount) {
            return;
        }
        ObjectNode state = Json.NODES.objectNode();
        state.put(STATE_SEGMENT, at.segment());
        state.put(STATE_OFFSET, at.offset());
        state.put(STATE_DELIVERED, delivered);
        // a cursor a full disk refuses is kept in memory and saved later by the reader (it says so)
        reader.commit(at, state);
        progress.savedAt = at;
        progress.savedCount = delivered;
    }

    /** One-record mode: how many records past a cursor position went through. */
    private static final class Progress {
        private Spool.Position at;
        private int count;
        private Spool.Position savedAt;
        private int savedCount;

        int delivered(Spool.Position position) {
            return position.equals(at) ? count : 0;
        }

        void delivered(Spool.Position position, int n) {
            at = position;
            count = n;
        }

        void clear() {
            at = null;
            count = 0;
            savedAt = null;
            savedCount = 0;
        }

        /** A count saved with the cursor before a restart, if it still applies to where the cursor is. */
        void restore(JsonNode state, Spool.Position position) {
            if (state != null && state.has(STATE_DELIVERED) && state.path(STATE_SEGMENT).asLong(-1) == position.segment()
                    && state.path(STATE_OFFSET).asLong(-1) == position.offset()) {
                at = position;
                count = state.path(STATE_DELIVERED).asInt();
                savedAt = position;
                savedCount = count;
            }
        }
    }

    private List<byte[]> filter(List<byte[]> lines) {
        List<byte[]> out = new ArrayList<>(lines.size());
        for (byte[] line : lines) {
            if (kinds.contains(kindOf(line))) {
                out.add(line);
            }
        }
        return out;
    }

    /** The record's kind without parsing it: records are written with {@code "kind":"..."} among the first fields. */
    static String kindOf(byte[] line) {
        byte[] marker = "\"kind\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + marker.length < line.length && i < 200; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (line[i + j] != marker[j]) {
                    continue outer;
                }
            }
            int start = i + marker.length;
            int end = start;
            while (end < line.length && line[end] != '"') {
                end++;
            }
            return new String(line, start, end - start, java.nio.charset.StandardCharsets.US_ASCII);
        }
        return "";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
