package io.dockwatch.source.swarm;

import io.dockwatch.source.DockerSourceComponent;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;

/**
 * {@code docker-swarm-events:all} — the swarm-wide events of every daemon that is a swarm manager
 * (service, node, secret, config: Docker's {@code scope=swarm}) as {@code event} records, resumed
 * from the cluster's shared checkpoint. Meant to run once per cluster, under {@code master:}.
 */
@Component("docker-swarm-events")
public final class SwarmEventsComponent extends DockerSourceComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new SwarmEventsEndpoint(uri, this, services(), SwarmEventsConsumer::new);
    }
}
