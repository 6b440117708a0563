package io.dockwatch.spool;

import java.util.Set;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

public final class SpoolEndpoint extends DefaultEndpoint {
    private final Spool spool;
    private final String sink;
    private final Set<String> kinds;
    private final int batchBytes;
    private final boolean batch;

    SpoolEndpoint(String uri, SpoolComponent component, Spool spool, String sink, Set<String> kinds, int batchBytes,
            boolean batch) {
        super(uri, component);
        this.batch = batch;
        this.spool = spool;
        this.sink = sink;
        this.kinds = kinds;
        this.batchBytes = batchBytes;
    }

    @Override
    public Producer createProducer() {
        return new SpoolProducer(this, spool);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        if (sink == null || sink.isBlank()) {
            throw new IllegalArgumentException("A spool consumer needs ?sink=NAME (its cursor's name): " + getEndpointUri());
        }
        return new SpoolConsumer(this, processor, sink, kinds, batchBytes, !batch, spool);
    }
}
