package io.dockwatch.source.logs;

import io.dockwatch.source.SourceEndpoint;
import io.dockwatch.source.SourceServices;
import org.apache.camel.Category;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * Stdout and stderr of every accepted container of every daemon as log records, resumed from checkpoints.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "docker-logs", title = "dockwatch container logs", syntax = "docker-logs:name",
        consumerOnly = true, remote = false, category = { Category.MONITORING, Category.CONTAINER })
public final class LogsEndpoint extends SourceEndpoint {
    @UriParam
    private LogsConfiguration configuration;

    LogsEndpoint(String uri, LogsComponent component, SourceServices services, ConsumerFactory factory,
            LogsConfiguration configuration) {
        super(uri, component, services, factory, configuration);
        this.configuration = configuration;
    }

    public LogsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(LogsConfiguration configuration) {
        this.configuration = configuration;
    }
}
