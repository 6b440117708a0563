package io.dockwatch.source.events;

import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import io.dockwatch.settings.Settings;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Endpoint;

/**
 * {@code docker-events:all[?types=container,image][&scope=local|swarm]} — every daemon's events as
 * {@code event} records; {@code scope} keeps only Docker's {@code local} or {@code swarm} events.
 */
public final class EventsComponent extends DockerSourceComponent {
    /** Docker's scope of events that concern one daemon only (containers, images, networks, volumes...). */
    static final String LOCAL_SCOPE = "local";

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String types = getAndRemoveParameter(parameters, "types", String.class, "");
        Set<String> typeSet = Arrays.stream(types.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        // scope=local leaves swarm-wide events (service, node, secret, config) to the once-per-cluster
        // docker-swarm-events source, so a collector per node does not record them once per manager
        String scope = getAndRemoveParameter(parameters, "scope", String.class, "");
        SourceServices services = services();
        if ((scope == null || scope.isEmpty()) && services.settings().bool(Settings.SWARM_EVENTS)) {
            scope = LOCAL_SCOPE;
        }
        return new EventsEndpoint(uri, this, services, typeSet, scope == null ? "" : scope);
    }
}
