package io.dockwatch.source.daemonstats;

import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import io.dockwatch.source.SourceEndpoint;
import java.util.Map;
import org.apache.camel.Endpoint;

/**
 * {@code docker-daemon-stats:all} — every {@code dockwatch.daemon.stats.interval}, a
 * {@code daemon.stats} record per daemon: containers running, paused and stopped, images, and
 * disk use from {@code /system/df}.
 */
public final class DaemonStatsComponent extends DockerSourceComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new SourceEndpoint(uri, this, services(), DaemonStatsConsumer::new);
    }
}
