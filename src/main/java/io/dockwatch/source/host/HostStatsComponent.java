package io.dockwatch.source.host;

import io.dockwatch.source.DockerSourceComponent;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;

/**
 * {@code host-stats:proc} — every {@code dockwatch.stats.interval}, a {@code host.stats} record
 * of this host from {@code dockwatch.host.proc} (CPU, load, memory, file systems, interfaces).
 */
@Component("host-stats")
public final class HostStatsComponent extends DockerSourceComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new HostStatsEndpoint(uri, this, services(), HostStatsConsumer::new);
    }
}
