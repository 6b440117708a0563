package io.dockwatch.spool;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * dockwatch's durable spool between sources and sinks. As a producer (to:) it makes records
 * durable together with their sources' checkpoints. As a consumer (from:) it drains the spool into
 * one destination with a cursor of its own, which moves only when the exchange completed.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "spool", title = "dockwatch spool", syntax = "spool:name",
        category = { Category.MONITORING, Category.MESSAGING })
public final class SpoolEndpoint extends DefaultEndpoint {
    static final int DEFAULT_BATCH_BYTES = 1024 * 1024;

    /** The spool's name: its folder under the state directory (the shipped routes use records). */
    @UriPath(defaultValue = "records")
    @Metadata(required = false)
    private String name;
    /**
     * The consumer's cursor: the name under which this destination's position in the spool is
     * kept. Required on a consumer; each destination needs its own.
     */
    @UriParam(label = "consumer")
    private String sink;
    /** Record kinds to hand on, comma-separated (log,event...); others are skipped, the cursor still moves. Empty: all. */
    @UriParam(label = "consumer")
    private String kinds;
    /** The size in bytes of a batch read from the spool. */
    @UriParam(label = "consumer", defaultValue = "1048576")
    private int batchBytes = DEFAULT_BATCH_BYTES;
    /**
     * A RecordBatch per exchange (true), or one record's JSON text per exchange (false) for
     * endpoints that send one message per exchange.
     */
    @UriParam(label = "consumer", defaultValue = "true")
    private boolean batch = true;
    private final Spool spool;

    SpoolEndpoint(String uri, SpoolComponent component, Spool spool, String name) {
        super(uri, component);
        this.spool = spool;
        this.name = name;
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
        Set<String> kindSet = kinds == null ? Set.of() : Arrays.stream(kinds.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        return new SpoolConsumer(this, processor, sink, kindSet, batchBytes, !batch, spool);
    }

    public String getName() {
        return name;
    }

    public String getSink() {
        return sink;
    }

    public void setSink(String sink) {
        this.sink = sink;
    }

    public String getKinds() {
        return kinds;
    }

    public void setKinds(String kinds) {
        this.kinds = kinds;
    }

    public int getBatchBytes() {
        return batchBytes;
    }

    public void setBatchBytes(int batchBytes) {
        this.batchBytes = batchBytes;
    }

    public boolean isBatch() {
        return batch;
    }

    public void setBatch(boolean batch) {
        this.batch = batch;
    }
}
