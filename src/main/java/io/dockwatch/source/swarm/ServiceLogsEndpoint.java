package io.dockwatch.source.swarm;

import io.dockwatch.source.SourceEndpoint;
import io.dockwatch.source.SourceServices;
import org.apache.camel.Category;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * The logs of every swarm service, read through a manager, as log records with swarm and container fields, checkpointed per task. Meant to run once per cluster, under master:.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "docker-service-logs", title = "dockwatch swarm service logs", syntax = "docker-service-logs:name",
        consumerOnly = true, remote = false, category = { Category.MONITORING, Category.CONTAINER })
public final class ServiceLogsEndpoint extends SourceEndpoint {
    @UriParam
    private ServiceLogsConfiguration configuration;

    ServiceLogsEndpoint(String uri, ServiceLogsComponent component, SourceServices services, ConsumerFactory factory,
            ServiceLogsConfiguration configuration) {
        super(uri, component, services, factory, configuration);
        this.configuration = configuration;
    }

    public ServiceLogsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(ServiceLogsConfiguration configuration) {
        this.configuration = configuration;
    }
}
