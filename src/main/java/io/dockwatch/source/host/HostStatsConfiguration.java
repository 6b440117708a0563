package io.dockwatch.source.host;

import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.SourceConfiguration;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@code host-stats:}, on the component ({@code camel.component.host-stats.*}) and on
 * each endpoint's URI; one left unset (null) falls back to the setting it names.
 */
@UriParams
@Configurer
public class HostStatsConfiguration extends SourceConfiguration {
    /**
     * How often the host's CPU, memory, disks and network are read, such as 10s or 1m. Setting:
     * dockwatch.stats.interval.
     */
    @UriParam(label = "common", defaultValue = "10s")
    private String interval;

    @Override
    protected void alias(OptionAliases aliases) {
        aliases
                .option(Settings.STATS_INTERVAL, "interval", interval);
    }

    @Override
    protected void check(Settings s) {
        s.duration(Settings.STATS_INTERVAL);
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }
}
