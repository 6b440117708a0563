package io.dockwatch.source.swarm;

import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import io.dockwatch.source.SourceEndpoint;
import java.util.Map;
import org.apache.camel.Endpoint;

/**
 * {@code docker-swarm-events:all} — the swarm-wide events of every daemon that is a swarm manager
 * (service, node, secret, config: Docker's {@code scope=swarm}) as {@code event} records, resumed
 * from the cluster's shared checkpoint. Meant to run once per cluster, under {@code master:}.
 */
public final class SwarmEventsComponent extends DockerSourceComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new SourceEndpoint(uri, this, services(), SwarmEventsConsumer::new);
    }
}
