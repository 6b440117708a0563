package io.dockwatch.enrich;

import io.dockwatch.DockwatchServices;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Content enricher: adds the contract's container metadata (name, image, labels, compose, swarm)
 * to every container record, from the inspect cache. Bound as {@code containerEnricher}; routes
 * use it as {@code - process: {ref: containerEnricher}}.
 */
public final class ContainerEnricher implements Processor, CamelContextAware {
    private CamelContext camelContext;
    private DockwatchServices services;

    /** For the YAML {@code beans:} section: the services come from the Camel context. */
    public ContainerEnricher() {
    }

    public ContainerEnricher(DockwatchServices services) {
        this.services = services;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void process(Exchange exchange) {
        if (services == null) {
            services = DockwatchServices.of(camelContext != null ? camelContext : exchange.getContext());
        }
        DockerDaemon daemon = services.daemon(exchange.getMessage().getHeader(DockwatchServices.DAEMON_HEADER, String.class));
        if (daemon == null) {
            return;
        }
        Object body = exchange.getMessage().getBody();
        if (body instanceof Record r) {
            enrich(daemon, r);
        } else if (body instanceof List<?> list) {
            // a batch is usually one container's lines: one cache look-up per container, not per line
            String lastId = null;
            ContainerMetadata last = null;
            for (Object o : list) {
                if (o instanceof Record r) {
                    String id = r.containerId();
                    if (id == null) {
                        continue;
                    }
                    if (!id.equals(lastId)) {
                        lastId = id;
                        last = services.metadata().get(daemon, id);
                    }
                    if (last != null) {
                        r.enrich(last);
                    }
                }
            }
        }
    }

    private void enrich(DockerDaemon daemon, Record r) {
        // records of sources that do not stamp the daemon's ID themselves (log lines always do)
        String daemonId = daemon.daemonId();
        if (daemonId != null && !Kind.LOG.value().equals(r.kind()) && !r.has(Fields.HOST_DAEMON_ID)) {
            r.put(Fields.HOST_DAEMON_ID, daemonId);
        }
        String id = r.containerId();
        if (id == null) {
            return;
        }
        ContainerMetadata m = services.metadata().get(daemon, id);
        if (m != null) {
            r.enrich(m);
        }
    }
}
