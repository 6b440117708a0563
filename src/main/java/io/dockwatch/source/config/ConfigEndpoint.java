package io.dockwatch.source.config;

import io.dockwatch.source.SourceEndpoint;
import io.dockwatch.source.SourceServices;
import org.apache.camel.Category;
import org.apache.camel.spi.UriEndpoint;

/**
 * A config record for every container at start and on each create and update, and a drift record when a workload's configuration changed.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "docker-config", title = "dockwatch container configuration", syntax = "docker-config:name",
        consumerOnly = true, remote = false, category = { Category.MONITORING, Category.CONTAINER })
public final class ConfigEndpoint extends SourceEndpoint {
    ConfigEndpoint(String uri, ConfigComponent component, SourceServices services, ConsumerFactory factory) {
        super(uri, component, services, factory);
    }
}
