package io.dockwatch.source.stats;

import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.ContainerSourceConfiguration;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@code docker-stats:}, on the component ({@code camel.component.docker-stats.*}) and on
 * each endpoint's URI; one left unset (null) falls back to the setting it names.
 */
@UriParams
@Configurer
public class StatsConfiguration extends ContainerSourceConfiguration {
    /**
     * How often every running container's stats are read, such as 10s or 1m. Setting:
     * dockwatch.stats.interval.
     */
    @UriParam(label = "common", defaultValue = "10s")
    private String interval;
    /**
     * How many stats requests are in flight at once (1 to 4096): each is a socket to dockerd for about a
     * second. Setting: dockwatch.stats.concurrency.
     */
    @UriParam(label = "advanced", defaultValue = "500")
    private Integer concurrency;

    @Override
    protected void alias(OptionAliases aliases) {
        super.alias(aliases);
        aliases
                .option(Settings.STATS_INTERVAL, "interval", interval)
                .option(Settings.STATS_CONCURRENCY, "concurrency", concurrency);
    }

    @Override
    protected void check(Settings s) {
        s.duration(Settings.STATS_INTERVAL);
        s.intInRange(Settings.STATS_CONCURRENCY, 1, Settings.MAX_STATS_CONCURRENCY);
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public Integer getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(Integer concurrency) {
        this.concurrency = concurrency;
    }
}
