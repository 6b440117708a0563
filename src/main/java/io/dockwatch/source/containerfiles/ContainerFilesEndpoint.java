package io.dockwatch.source.containerfiles;

import io.dockwatch.source.SourceEndpoint;
import io.dockwatch.source.SourceServices;
import org.apache.camel.Category;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * Log files inside containers that ask for it by label (dockwatch.logs.files), as log records.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "docker-container-files", title = "dockwatch container log files", syntax = "docker-container-files:name",
        consumerOnly = true, remote = false, category = { Category.MONITORING, Category.CONTAINER })
public final class ContainerFilesEndpoint extends SourceEndpoint {
    @UriParam
    private ContainerFilesConfiguration configuration;

    ContainerFilesEndpoint(String uri, ContainerFilesComponent component, SourceServices services, ConsumerFactory factory,
            ContainerFilesConfiguration configuration) {
        super(uri, component, services, factory, configuration);
        this.configuration = configuration;
    }

    public ContainerFilesConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(ContainerFilesConfiguration configuration) {
        this.configuration = configuration;
    }
}
