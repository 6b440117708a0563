package io.dockwatch.source.config;

import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import io.dockwatch.source.SourceEndpoint;
import java.util.Map;
import org.apache.camel.Endpoint;

/**
 * {@code docker-config:all} — a {@code config} record for every container at start and on each
 * create and update, and a {@code drift} record when a workload's configuration changed.
 */
public final class ConfigComponent extends DockerSourceComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new SourceEndpoint(uri, this, services(), ConfigConsumer::new);
    }
}
