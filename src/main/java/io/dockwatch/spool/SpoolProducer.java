package io.dockwatch.spool;

import com.fasterxml.jackson.core.JsonGenerator;
import io.dockwatch.record.Json;
import io.dockwatch.record.Record;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
    public void process(Exchange exchange) throws IOException {
        List<Checkpoint> checkpoints = checkpoints(exchange.getMessage().getHeader(Checkpoint.HEADER));
        Object body = exchange.getMessage().getBody();
        if (body instanceof Record r) {
            spool.append(r.toJsonBytes(), checkpoints);
        } else if (body instanceof List<?> list && !list.isEmpty()) {
            spool.appendLines(serialise(list), checkpoints);
        } else {
            // filtered to nothing upstream: the source's position still moves on
            spool.checkpoint(checkpoints);
        }
    }

    /** The records as NDJSON, through one generator: a busy log batch costs one buffer, not one per line. */
    private static byte[] serialise(List<?> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(records.size() * 400);
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.setRootValueSeparator(null);
            for (Object o : records) {
                ((Record) o).writeTo(g);
                g.flush();
                out.write('\n');
            }
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
