package io.dockwatch.source.stats;

import io.dockwatch.source.DockerSourceComponent;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;

/**
 * {@code docker-stats:all} — every {@code dockwatch.stats.interval}, a {@code stats} record per
 * running container of every daemon (opted-out and excluded ones left alone).
 */
@Component("docker-stats")
public final class StatsComponent extends DockerSourceComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new StatsEndpoint(uri, this, services(), StatsConsumer::new);
    }
}
