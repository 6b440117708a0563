package io.dockwatch.spool;

import io.dockwatch.wiring.ServiceBeans;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code spool:NAME} — as a producer, makes records durable (with their sources' checkpoints);
 * as a consumer, {@code spool:NAME?sink=ID[&kinds=log,event][&batch=false]}, drains it into one
 * sink with that sink's own cursor: a {@link RecordBatch} per exchange (converted by Camel to
 * NDJSON or a list of maps as the endpoint needs), or with {@code batch=false} one record's JSON
 * text per exchange.
 */
public final class SpoolComponent extends DefaultComponent {
    @Metadata(label = "advanced", autowired = true, description = "The spools under the state folder (bean spools)")
    private Spools spools;
    @Metadata(label = "advanced", autowired = true,
            description = "Who counts bytes in and each sink's deliveries (the collector's observe bean)")
    private SpoolMonitor monitor;

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        spools = ServiceBeans.resolve(getCamelContext(), spools, Spools.class);
        monitor = ServiceBeans.resolve(getCamelContext(), monitor, SpoolMonitor.class);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String sink = getAndRemoveParameter(parameters, "sink", String.class);
        String kinds = getAndRemoveParameter(parameters, "kinds", String.class, "");
        Integer batchBytes = getAndRemoveParameter(parameters, "batchBytes", Integer.class, 1024 * 1024);
        Boolean batch = getAndRemoveParameter(parameters, "batch", Boolean.class, Boolean.TRUE);
        Set<String> kindSet = Arrays.stream(kinds.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        return new SpoolEndpoint(uri, this, spools.spool(remaining.isEmpty() ? "records" : remaining), sink, kindSet,
                batchBytes, batch);
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
