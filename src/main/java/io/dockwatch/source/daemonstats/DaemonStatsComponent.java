package io.dockwatch.source.daemonstats;

import io.dockwatch.source.DockerSourceComponent;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;

/**
 * {@code docker-daemon-stats:all} — every {@code dockwatch.daemon.stats.interval}, a
 * {@code daemon.stats} record per daemon: containers running, paused and stopped, images, and
 * disk use from {@code /system/df}.
 */
@Component("docker-daemon-stats")
public final class DaemonStatsComponent extends DockerSourceComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new DaemonStatsEndpoint(uri, this, services(), DaemonStatsConsumer::new);
    }
}
