package io.dockwatch.source.containerfiles;

import io.dockwatch.DockwatchServices;
import io.dockwatch.source.SourceEndpoint;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/** {@code docker-container-files:all} — log files inside containers that ask for it by label. */
public final class ContainerFilesComponent extends DefaultComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new SourceEndpoint(uri, this, DockwatchServices.of(getCamelContext()), ContainerFilesConsumer::new);
    }
}
