package io.dockwatch.source.config;

import io.dockwatch.source.DockerSourceComponent;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;

/**
 * {@code docker-config:all} — a {@code config} record for every container at start and on each
 * create and update, and a {@code drift} record when a workload's configuration changed.
 */
@Component("docker-config")
public final class ConfigComponent extends DockerSourceComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new ConfigEndpoint(uri, this, services(), ConfigConsumer::new);
    }
}
