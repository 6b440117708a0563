package io.dockwatch.source.logs;

import io.dockwatch.source.DockerSourceComponent;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;

/** {@code docker-logs:all} — stdout and stderr of every accepted container as {@code log} records. */
@Component("docker-logs")
public final class LogsComponent extends DockerSourceComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new LogsEndpoint(uri, this, services(), LogsConsumer::new);
    }
}
