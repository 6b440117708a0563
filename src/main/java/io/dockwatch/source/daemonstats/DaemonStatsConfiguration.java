package io.dockwatch.source.daemonstats;

import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.SourceConfiguration;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@code docker-daemon-stats:}, on the component ({@code camel.component.docker-daemon-stats.*}) and on
 * each endpoint's URI; one left unset (null) falls back to the setting it names.
 */
@UriParams
@Configurer
public class DaemonStatsConfiguration extends SourceConfiguration {
    /**
     * How often each daemon's /info and /system/df are read (df walks every layer and volume). Setting:
     * dockwatch.daemon.stats.interval.
     */
    @UriParam(label = "common", defaultValue = "5m")
    private String interval;

    @Override
    protected void alias(OptionAliases aliases) {
        aliases
                .option(Settings.DAEMON_STATS_INTERVAL, "interval", interval);
    }

    @Override
    protected void check(Settings s) {
        s.duration(Settings.DAEMON_STATS_INTERVAL);
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }
}
