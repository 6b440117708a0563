package io.dockwatch.spool;

import io.dockwatch.wiring.ServiceBeans;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code spool:NAME} — as a producer, makes records durable (with their sources' checkpoints);
 * as a consumer, {@code spool:NAME?sink=ID[&kinds=log,event][&batch=false]}, drains it into one
 * sink with that sink's own cursor: a {@link RecordBatch} per exchange (converted by Camel to
 * NDJSON or a list of maps as the endpoint needs), or with {@code batch=false} one record's JSON
 * text per exchange. The consumer options other than {@code sink} may be given here as every
 * endpoint's defaults ({@code camel.component.spool.*}); a cursor's name is per route.
 */
@Component("spool")
public final class SpoolComponent extends DefaultComponent {
    @Metadata(label = "advanced", autowired = true, description = "The spools under the state folder (bean spools)")
    private Spools spools;
    @Metadata(label = "advanced", autowired = true,
            description = "Who counts bytes in and each sink's deliveries (the collector's observe bean)")
    private SpoolMonitor monitor;

    /** Default kinds of every spool consumer: record kinds to hand on, comma-separated (empty: all). */
    @Metadata(label = "consumer")
    private String kinds;
    /** Default size in bytes of a batch read from the spool by every consumer. */
    @Metadata(label = "consumer", defaultValue = "1048576")
    private int batchBytes = SpoolEndpoint.DEFAULT_BATCH_BYTES;
    /** Whether every consumer hands on a batch per exchange (true) or one record per exchange (false). */
    @Metadata(label = "consumer", defaultValue = "true")
    private boolean batch = true;

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        spools = ServiceBeans.resolve(getCamelContext(), spools, Spools.class);
        monitor = ServiceBeans.resolve(getCamelContext(), monitor, SpoolMonitor.class);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String name = remaining.isEmpty() ? "records" : remaining;
        SpoolEndpoint endpoint = new SpoolEndpoint(uri, this, spools.spool(name), name);
        endpoint.setKinds(kinds);
        endpoint.setBatchBytes(batchBytes);
        endpoint.setBatch(batch);
        return endpoint;
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

    public Spools getSpools() {
        return spools;
    }

    public void setSpools(Spools spools) {
        this.spools = spools;
    }

    public SpoolMonitor getMonitor() {
        return monitor;
    }

    public void setMonitor(SpoolMonitor monitor) {
        this.monitor = monitor;
    }
}
