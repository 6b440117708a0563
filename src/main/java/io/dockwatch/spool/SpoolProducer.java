package io.dockwatch.spool;

import io.dockwatch.record.NdjsonBuffer;
import io.dockwatch.record.Record;
import java.io.IOException;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Appends the exchange's record(s) to the spool, followed by the checkpoint(s) they complete. */
final class SpoolProducer extends DefaultProducer {
    private final Spool spool;
    private final SpoolMonitor monitor;

    SpoolProducer(SpoolEndpoint endpoint, Spool spool) {
        super(endpoint);
        this.spool = spool;
        this.monitor = ((SpoolComponent) endpoint.getComponent()).getMonitor();
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        List<Checkpoint> checkpoints = checkpoints(exchange.getMessage().getHeader(Checkpoint.HEADER));
        Object body = exchange.getMessage().getBody();
        if (body instanceof Record r) {
            byte[] json = r.toJsonBytes();
            spool.append(json, checkpoints);
            monitor.bytesIn(exchange.getFromRouteId(), json.length + 1L);
        } else if (body instanceof List<?> list && !list.isEmpty()) {
            NdjsonBuffer ndjson = serialise(list);
            spool.appendLines(ndjson.array(), ndjson.length(), checkpoints);
            monitor.bytesIn(exchange.getFromRouteId(), ndjson.length());
        } else {
            // filtered to nothing upstream: the source's position still moves on
            spool.checkpoint(checkpoints);
        }
    }

    /** Each thread's buffer for batches, reused: a busy log batch costs no allocation (and no zeroing). */
    private static final ThreadLocal<NdjsonBuffer> BATCH_BUFFER = ThreadLocal.withInitial(() -> new NdjsonBuffer(256 * 1024));
    private static final int KEEP_BUFFER_BYTES = 4 * 1024 * 1024;

    /** The records as NDJSON in the thread's buffer (valid until the thread's next batch). */
    private static NdjsonBuffer serialise(List<?> records) {
        NdjsonBuffer out = BATCH_BUFFER.get().reset();
        for (Object o : records) {
            ((Record) o).writeNdjson(out);
        }
        if (out.capacity() > KEEP_BUFFER_BYTES) {
            BATCH_BUFFER.remove(); // a batch of huge lines: do not keep its buffer for ever
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Checkpoint> checkpoints(Object header) {
        if (header instanceof Checkpoint c) {
            return List.of(c);
        }
        if (header instanceof List<?> l) {
            return (List<Checkpoint>) l;
        }
        return List.of();
    }
}
