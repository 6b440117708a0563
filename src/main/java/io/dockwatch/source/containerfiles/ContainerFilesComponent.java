package io.dockwatch.source.containerfiles;

import io.dockwatch.source.DockerSourceComponent;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;

/** {@code docker-container-files:all} — log files inside containers that ask for it by label. */
@Component("docker-container-files")
public final class ContainerFilesComponent extends DockerSourceComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new ContainerFilesEndpoint(uri, this, services(), ContainerFilesConsumer::new);
    }
}
