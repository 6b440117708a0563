package io.dockwatch.source.logs;

import io.dockwatch.DockwatchServices;
import io.dockwatch.source.SourceEndpoint;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/** {@code docker-logs:all} — stdout and stderr of every accepted container as {@code log} records. */
public final class LogsComponent extends DefaultComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new SourceEndpoint(uri, this, DockwatchServices.of(getCamelContext()), LogsConsumer::new);
    }
}
