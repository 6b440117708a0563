package io.dockwatch.source.config;

import io.dockwatch.source.SourceEndpoint;
import io.dockwatch.source.SourceServices;
import org.apache.camel.Category;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * A config record for every container at start and on each create and update, and a drift record when a workload's configuration changed.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "docker-config", title = "dockwatch container configuration", syntax = "docker-config:name",
        consumerOnly = true, remote = false, category = { Category.MONITORING, Category.CONTAINER })
public final class ConfigEndpoint extends SourceEndpoint {
    @UriParam
    private ConfigConfiguration configuration;

    ConfigEndpoint(String uri, ConfigComponent component, SourceServices services, ConsumerFactory factory,
            ConfigConfiguration configuration) {
        super(uri, component, services, factory, configuration);
        this.configuration = configuration;
    }

    public ConfigConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(ConfigConfiguration configuration) {
        this.configuration = configuration;
    }
}
