package io.dockwatch.source.daemonstats;

import io.dockwatch.source.SourceEndpoint;
import io.dockwatch.source.SourceServices;
import org.apache.camel.Category;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * Every dockwatch.daemon.stats.interval, a daemon.stats record per daemon: containers running, paused and stopped, images, and disk use.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "docker-daemon-stats", title = "dockwatch daemon stats", syntax = "docker-daemon-stats:name",
        consumerOnly = true, remote = false, category = { Category.MONITORING, Category.CONTAINER })
public final class DaemonStatsEndpoint extends SourceEndpoint {
    @UriParam
    private DaemonStatsConfiguration configuration;

    DaemonStatsEndpoint(String uri, DaemonStatsComponent component, SourceServices services, ConsumerFactory factory,
            DaemonStatsConfiguration configuration) {
        super(uri, component, services, factory, configuration);
        this.configuration = configuration;
    }

    public DaemonStatsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(DaemonStatsConfiguration configuration) {
        this.configuration = configuration;
    }
}
