package io.dockwatch.source.swarm;

import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.ContainerSourceConfiguration;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@code docker-service-logs:}, on the component ({@code camel.component.docker-service-logs.*}) and on
 * each endpoint's URI; one left unset (null) falls back to the setting it names.
 */
@UriParams
@Configurer
public class ServiceLogsConfiguration extends ContainerSourceConfiguration {
    /**
     * Where reading starts for a service task with no checkpoint: all, new, or a number of last lines.
     * Setting: dockwatch.logs.backlog.
     */
    @UriParam(label = "common", defaultValue = "all")
    private String backlog;

    @Override
    protected void alias(OptionAliases aliases) {
        super.alias(aliases);
        aliases
                .option(Settings.LOGS_BACKLOG, "backlog", backlog);
    }

    @Override
    protected void check(Settings s) {
        s.logsBacklog();
    }

    public String getBacklog() {
        return backlog;
    }

    public void setBacklog(String backlog) {
        this.backlog = backlog;
    }
}
