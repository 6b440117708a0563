package io.dockwatch.spool;

import io.dockwatch.record.Record;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Appends the exchange's record(s) to the spool, followed by the checkpoint(s) they complete. */
final class SpoolProducer extends DefaultProducer {
    private final Spool spool;

    SpoolProducer(SpoolEndpoint endpoint, Spool spool) {
        super(endpoint);
        this.spool = spool;
    }

    @Override
    public void process(Exchange exchange) {
        List<Checkpoint> checkpoints = checkpoints(exchange.getMessage().getHeader(Checkpoint.HEADER));
        Object body = exchange.getMessage().getBody();
        if (body instanceof Record r) {
            spool.append(r.toJsonBytes(), checkpoints);
        } else if (body instanceof List<?> list && !list.isEmpty()) {
            for (int i = 0; i < list.size(); i++) {
                Record r = (Record) list.get(i);
                spool.append(r.toJsonBytes(), i == list.size() - 1 ? checkpoints : List.of());
            }
        } else {
            // filtered to nothing upstream: the source's position still moves on
            spool.checkpoint(checkpoints);
        }
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
