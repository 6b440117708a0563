package io.dockwatch.spool;

import io.dockwatch.DockwatchServices;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code spool:NAME} — as a producer, makes records durable (with their sources' checkpoints);
 * as a consumer, {@code spool:NAME?sink=ID[&kinds=log,event][&batch=false]}, drains it into one
 * sink with that sink's own cursor: a {@link RecordBatch} per exchange (converted by Camel to
 * NDJSON or a list of maps as the endpoint needs), or with {@code batch=false} one record's JSON
 * text per exchange.
 */
public final class SpoolComponent extends DefaultComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String sink = getAndRemoveParameter(parameters, "sink", String.class);
        String kinds = getAndRemoveParameter(parameters, "kinds", String.class, "");
        Integer batchBytes = getAndRemoveParameter(parameters, "batchBytes", Integer.class, 1024 * 1024);
        Boolean batch = getAndRemoveParameter(parameters, "batch", Boolean.class, Boolean.TRUE);
        Set<String> kindSet = Arrays.stream(kinds.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        DockwatchServices services = DockwatchServices.of(getCamelContext());
        return new SpoolEndpoint(uri, this, services.spool(remaining.isEmpty() ? "records" : remaining), sink, kindSet,
                batchBytes, batch);
    }
}
