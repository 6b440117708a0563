package io.dockwatch.source.events;

import io.dockwatch.source.DockerSourceComponent;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/**
 * {@code docker-events:all[?types=container,image][&scope=local|swarm]} — every daemon's events as
 * {@code event} records; {@code scope} keeps only Docker's {@code local} or {@code swarm} events.
 * Options set here ({@code camel.component.docker-events.*}) are every endpoint's defaults.
 */
@Component("docker-events")
public final class EventsComponent extends DockerSourceComponent {
    /** Docker's scope of events that concern one daemon only (containers, images, networks, volumes...). */
    static final String LOCAL_SCOPE = "local";

    /** The default types of every endpoint: Docker's event types to keep, comma-separated (empty: all). */
    @Metadata
    private String types;
    /** The default scope of every endpoint: local or swarm (empty: both, or local when dockwatch.swarm.events is on). */
    @Metadata(enums = "local,swarm")
    private String scope;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        EventsEndpoint endpoint = new EventsEndpoint(uri, this, services());
        endpoint.setTypes(types);
        endpoint.setScope(scope);
        return endpoint;
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
}
