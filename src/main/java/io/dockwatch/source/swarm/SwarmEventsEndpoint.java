package io.dockwatch.source.swarm;

import io.dockwatch.source.SourceEndpoint;
import io.dockwatch.source.SourceServices;
import org.apache.camel.Category;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * The swarm-wide events (service, node, secret, config) of every daemon that is a swarm manager as event records, resumed from the cluster's shared checkpoint. Meant to run once per cluster, under master:.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "docker-swarm-events", title = "dockwatch swarm events", syntax = "docker-swarm-events:name",
        consumerOnly = true, remote = false, category = { Category.MONITORING, Category.CONTAINER })
public final class SwarmEventsEndpoint extends SourceEndpoint {
    @UriParam
    private SwarmEventsConfiguration configuration;

    SwarmEventsEndpoint(String uri, SwarmEventsComponent component, SourceServices services, ConsumerFactory factory,
            SwarmEventsConfiguration configuration) {
        super(uri, component, services, factory, configuration);
        this.configuration = configuration;
    }

    public SwarmEventsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SwarmEventsConfiguration configuration) {
        this.configuration = configuration;
    }
}
