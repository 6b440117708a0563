package io.dockwatch.source.stats;

import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import io.dockwatch.source.SourceEndpoint;
import java.util.Map;
import org.apache.camel.Endpoint;

/**
 * {@code docker-stats:all} — every {@code dockwatch.stats.interval}, a {@code stats} record per
 * running container of every daemon (opted-out and excluded ones left alone).
 */
public final class StatsComponent extends DockerSourceComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new SourceEndpoint(uri, this, services(), StatsConsumer::new);
    }
}
