package io.dockwatch.source.stats;

import io.dockwatch.source.SourceEndpoint;
import io.dockwatch.source.SourceServices;
import org.apache.camel.Category;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * Every dockwatch.stats.interval, a stats record per running container of every daemon (opted-out and excluded ones left alone).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "docker-stats", title = "dockwatch container stats", syntax = "docker-stats:name",
        consumerOnly = true, remote = false, category = { Category.MONITORING, Category.CONTAINER })
public final class StatsEndpoint extends SourceEndpoint {
    @UriParam
    private StatsConfiguration configuration;

    StatsEndpoint(String uri, StatsComponent component, SourceServices services, ConsumerFactory factory,
            StatsConfiguration configuration) {
        super(uri, component, services, factory, configuration);
        this.configuration = configuration;
    }

    public StatsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(StatsConfiguration configuration) {
        this.configuration = configuration;
    }
}
