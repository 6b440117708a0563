package io.dockwatch.source.swarm;

import io.dockwatch.source.DockerSourceComponent;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;

/**
 * {@code docker-service-logs:all} — the logs of every swarm service, read through a manager
 * ({@code /services/{id}/logs}) as {@code log} records with {@code swarm.*} and {@code container.*}
 * fields: a whole swarm collected from one place, checkpointed per task. Meant to run once per
 * cluster, under {@code master:}; off in the shipped routes ({@code dockwatch.swarm.service.logs}).
 */
@Component("docker-service-logs")
public final class ServiceLogsComponent extends DockerSourceComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new ServiceLogsEndpoint(uri, this, services(), ServiceLogsConsumer::new);
    }
}
