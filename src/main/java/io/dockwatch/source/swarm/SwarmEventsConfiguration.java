package io.dockwatch.source.swarm;

import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.SourceConfiguration;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@code docker-swarm-events:}, on the component ({@code camel.component.docker-swarm-events.*}) and on
 * each endpoint's URI; one left unset (null) falls back to the setting it names.
 */
@UriParams
@Configurer
public class SwarmEventsConfiguration extends SourceConfiguration {
    /**
     * What is read on the first start, before there is a checkpoint: none (events from now on) or all the
     * daemon still holds. Setting: dockwatch.events.backlog.
     */
    @UriParam(label = "common", defaultValue = "none", enums = "none,all")
    private String backlog;

    @Override
    protected void alias(OptionAliases aliases) {
        aliases
                .option(Settings.EVENTS_BACKLOG, "backlog", backlog);
    }

    @Override
    protected void check(Settings s) {
        s.choice(Settings.EVENTS_BACKLOG, Settings.EventsBacklog.class, Settings.EventsBacklog::spelling);
    }

    public String getBacklog() {
        return backlog;
    }

    public void setBacklog(String backlog) {
        this.backlog = backlog;
    }
}
