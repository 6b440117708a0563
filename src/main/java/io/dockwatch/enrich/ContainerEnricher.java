package io.dockwatch.enrich;

import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.docker.DockerDaemons;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import io.dockwatch.wiring.ServiceBeans;
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
    private volatile DockerDaemons daemons;
    private volatile ContainerMetadataCache metadata;

    /**
     * For the YAML {@code beans:} section: the daemons and the metadata cache are the registry's
     * beans of their types, found on the first record.
     */
    public ContainerEnricher() {
    }

    public ContainerEnricher(DockerDaemons daemons, ContainerMetadataCache metadata) {
        this.daemons = daemons;
        this.metadata = metadata;
    }

    public void setDaemons(DockerDaemons daemons) {
        this.daemons = daemons;
    }

    public void setMetadata(ContainerMetadataCache metadata) {
        this.metadata = metadata;
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
        if (metadata == null || daemons == null) {
            CamelContext camel = camelContext != null ? camelContext : exchange.getContext();
            daemons = ServiceBeans.resolve(camel, daemons, DockerDaemons.class);
            metadata = ServiceBeans.resolve(camel, metadata, ContainerMetadataCache.class);
        }
        DockerDaemon daemon = daemons.daemon(exchange.getMessage().getHeader(DockerDaemons.DAEMON_HEADER, String.class));
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
                        last = metadata.get(daemon, id);
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
        ContainerMetadata m = metadata.get(daemon, id);
        if (m != null) {
            r.enrich(m);
        }
    }
}
