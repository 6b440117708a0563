package io.dockwatch.source.host;

import io.dockwatch.source.SourceEndpoint;
import io.dockwatch.source.SourceServices;
import org.apache.camel.Category;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * Every dockwatch.stats.interval, a host.stats record of this host from dockwatch.host.proc (CPU, load, memory, file systems, interfaces).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "host-stats", title = "dockwatch host stats", syntax = "host-stats:name",
        consumerOnly = true, remote = false, category = { Category.MONITORING, Category.CONTAINER })
public final class HostStatsEndpoint extends SourceEndpoint {
    @UriParam
    private HostStatsConfiguration configuration;

    HostStatsEndpoint(String uri, HostStatsComponent component, SourceServices services, ConsumerFactory factory,
            HostStatsConfiguration configuration) {
        super(uri, component, services, factory, configuration);
        this.configuration = configuration;
    }

    public HostStatsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(HostStatsConfiguration configuration) {
        this.configuration = configuration;
    }
}
