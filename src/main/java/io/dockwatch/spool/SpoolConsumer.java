package io.dockwatch.spool;

import io.dockwatch.DockwatchServices;
import io.dockwatch.observe.SinkStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the spool into one sink: reads a batch, hands it to the route, and moves the cursor only
 * when the route succeeded. A failing sink retries the same batch with backoff, and only its own
 * cursor waits; sources and other sinks go on.
 */
final class SpoolConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolConsumer.class);
    private static final long MAX_BACKOFF_MS = 30_000;
    private static final long DRAIN_ON_STOP_MS = 5_000;

    private final String sink;
    private final Set<String> kinds;
    private final int batchBytes;
    private final Spool spool;
    private Reader reader;
    private volatile boolean running;
    private volatile long drainUntil = Long.MAX_VALUE;
    private Thread thread;
    private SinkStats stats;

    SpoolConsumer(SpoolEndpoint endpoint, Processor processor, String sink, Set<String> kinds, int batchBytes,
            Spool spool) {
        super(endpoint, processor);
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
        running = true;
        drainUntil = Long.MAX_VALUE;
        stats = DockwatchServices.of(getEndpoint().getCamelContext()).observe().sink(reader.name(), spool, reader);
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
                Object newState = null;
                if (failing) {
                    stats.retrying(records.size());
                }
                if (records.size() > 0) {
                    Exchange exchange = createExchange(false);
                    exchange.getMessage().setBody(records);
                    exchange.setProperty(SinkStats.PROPERTY, stats);
                    exchange.getMessage().setHeader(RecordBatch.SINK_STATE_HEADER, reader.sinkState());
                    try {
                        getProcessor().process(exchange);
                        if (exchange.getException() != null) {
                            throw exchange.getException();
                        }
                        newState = exchange.getProperty(RecordBatch.NEW_SINK_STATE);
                    } finally {
                        releaseExchange(exchange, false);
                    }
                }
                reader.commit(batch.next(), (com.fasterxml.jackson.databind.JsonNode) newState);
                if (!failing || records.size() > 0) { // not a mere jump past records the spool dropped
                    stats.delivered(records.size()); // says "recovered" once after failures
                    failing = false;
                }
                backoffMs = 200;
            } catch (Exception e) {
                stats.failed(records.size(), e); // says "failing" once per streak
                failing = true;
                if (System.currentTimeMillis() >= drainUntil) {
                    return;
                }
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
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
