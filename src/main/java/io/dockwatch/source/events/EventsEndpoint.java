package io.dockwatch.source.events;

import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsException;
import io.dockwatch.source.SourceServices;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.AfterPropertiesConfigured;
import org.apache.camel.CamelContext;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Every daemon's events (container, image, network, volume...) as event records, resumed from a
 * checkpoint after a restart or a lost connection.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "docker-events", title = "dockwatch Docker events",
        syntax = "docker-events:name", consumerOnly = true, category = { Category.MONITORING, Category.CONTAINER })
public final class EventsEndpoint extends DefaultEndpoint implements AfterPropertiesConfigured {
    /** A label for the endpoint (all): every daemon's events are read whatever it is. */
    @UriPath
    @Metadata(required = false)
    private String name;
    /** Docker's event types to keep (container, image, network, volume...), comma-separated; empty keeps all. */
    @UriParam
    private String types;
    /**
     * Keep only Docker's local events (one daemon's) or swarm events (service, node, secret,
     * config). Empty keeps both, or local when dockwatch.swarm.events is on, so the swarm-wide ones
     * are recorded once per cluster by docker-swarm-events.
     */
    @UriParam(enums = "local,swarm")
    private String scope;
    /**
     * What is read on the first start, before there is a checkpoint: none (events from now on) or
     * all (what the daemon still buffers). Setting: dockwatch.events.backlog.
     */
    @UriParam(defaultValue = "none", enums = "none,all")
    private String backlog;
    private SourceServices services;

    EventsEndpoint(String uri, EventsComponent component, SourceServices services) {
        super(uri, component);
        this.services = services;
    }

    /** Options bound: the consumer reads the settings with them laid over the keys; a bad one fails now, named. */
    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        OptionAliases aliases = OptionAliases.of("docker-events", services.settings())
                .option(Settings.EVENTS_BACKLOG, "backlog", backlog);
        try {
            Settings s = aliases.settings();
            s.choice(Settings.EVENTS_BACKLOG, Settings.EventsBacklog.class, Settings.EventsBacklog::spelling);
            services = services.withSettings(s);
        } catch (SettingsException e) {
            throw aliases.explain(e);
        }
    }

    /** The settings as this endpoint's consumer reads them. */
    public Settings settings() {
        return services.settings();
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        Set<String> typeSet = types == null ? Set.of() : Arrays.stream(types.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        String s = scope == null ? "" : scope.trim();
        if (!s.isEmpty() && !s.equals(EventsComponent.LOCAL_SCOPE) && !s.equals("swarm")) {
            throw new IllegalArgumentException("docker-events scope must be local or swarm: " + s);
        }
        // scope=local leaves swarm-wide events (service, node, secret, config) to the once-per-cluster
        // docker-swarm-events source, so a collector per node does not record them once per manager
        if (s.isEmpty() && services.settings().bool(Settings.SWARM_EVENTS)) {
            s = EventsComponent.LOCAL_SCOPE;
        }
        return new EventsConsumer(this, processor, services, typeSet, s);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("docker-events is a source: use it in from:");
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getTypes() {
        return types;
    }

    public void setTypes(String types) {
        this.types = types;
    }

    public String getScope() {
        return scope;
    }

    public void setScope(String scope) {
        this.scope = scope;
    }

    public String getBacklog() {
        return backlog;
    }

    public void setBacklog(String backlog) {
        this.backlog = backlog;
    }
}
