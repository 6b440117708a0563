package io.dockwatch.source.events;

import io.dockwatch.DockwatchServices;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/** {@code docker-events:all[?types=container,image]} — every daemon's events as {@code event} records. */
public final class EventsComponent extends DefaultComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String types = getAndRemoveParameter(parameters, "types", String.class, "");
        Set<String> typeSet = Arrays.stream(types.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        return new EventsEndpoint(uri, this, DockwatchServices.of(getCamelContext()), typeSet);
    }
}
