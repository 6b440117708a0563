package io.dockwatch.source.containerfiles;

import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.ContainerSourceConfiguration;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@code docker-container-files:}, on the component ({@code camel.component.docker-container-files.*}) and on
 * each endpoint's URI; one left unset (null) falls back to the setting it names.
 */
@UriParams
@Configurer
public class ContainerFilesConfiguration extends ContainerSourceConfiguration {
    /** How often the log files inside labelled containers are read. Setting: dockwatch.logs.files.interval. */
    @UriParam(label = "common", defaultValue = "1s")
    private String interval;

    @Override
    protected void alias(OptionAliases aliases) {
        super.alias(aliases);
        aliases
                .option(Settings.LOGS_FILES_INTERVAL, "interval", interval);
    }

    @Override
    protected void check(Settings s) {
        s.duration(Settings.LOGS_FILES_INTERVAL);
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }
}
