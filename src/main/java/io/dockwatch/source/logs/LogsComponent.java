package io.dockwatch.source.logs;

import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import io.dockwatch.source.SourceEndpoint;
import java.util.Map;
import org.apache.camel.Endpoint;

/** {@code docker-logs:all} — stdout and stderr of every accepted container as {@code log} records. */
public final class LogsComponent extends DockerSourceComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new SourceEndpoint(uri, this, services(), LogsConsumer::new);
    }
}
