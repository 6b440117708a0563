package io.dockwatch.spool;

import io.dockwatch.DockwatchServices;
import io.dockwatch.observe.Observe;
import io.dockwatch.record.NdjsonBuffer;
import io.dockwatch.record.Record;
import java.io.IOException;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Appends the exchange's record(s) to the spool, followed by the checkpoint(s) they complete. */
final class SpoolProducer extends DefaultProducer {
    private final Spool spool;
    private final Observe observe;

    SpoolProducer(SpoolEndpoint endpoint, Spool spool) {
        super(endpoint);
        this.spool = spool;
        this.observe = DockwatchServices.of(endpoint.getCamelContext()).observe();
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        List<Checkpoint> checkpoints = checkpoints(exchange.getMessage().getHeader(Checkpoint.HEADER));
        Object body = exchange.getMessage().getBody();
        if (body instanceof Record r) {
            byte[] json = r.toJsonBytes();
            spool.append(json, checkpoints);
            observe.bytesIn(exchange.getFromRouteId(), json.length + 1L);
        } else if (body instanceof List<?> list && !list.isEmpty()) {
            byte[] ndjson = serialise(list);
            spool.appendLines(ndjson, checkpoints);
            observe.bytesIn(exchange.getFromRouteId(), ndjson.length);
        } else {
            // filtered to nothing upstream: the source's position still moves on
            spool.checkpoint(checkpoints);
        }
    }

    /** The records as NDJSON in one buffer: a busy log batch costs one buffer, not one per line. */
    private static byte[] serialise(List<?> records) {
        NdjsonBuffer out = new NdjsonBuffer(records.size() * 400);
        for (Object o : records) {
            ((Record) o).writeNdjson(out);
        }
        return out.toByteArray();
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
