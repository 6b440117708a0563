package io.dockwatch.source.containerfiles;

import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import io.dockwatch.source.SourceEndpoint;
import java.util.Map;
import org.apache.camel.Endpoint;

/** {@code docker-container-files:all} — log files inside containers that ask for it by label. */
public final class ContainerFilesComponent extends DockerSourceComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new SourceEndpoint(uri, this, services(), ContainerFilesConsumer::new);
    }
}
