package io.dockwatch.source.events;

import io.dockwatch.source.SourceServices;
import java.util.Set;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

public final class EventsEndpoint extends DefaultEndpoint {
    private final SourceServices services;
    private final Set<String> types;
    private final String scope;

    EventsEndpoint(String uri, EventsComponent component, SourceServices services, Set<String> types, String scope) {
        super(uri, component);
        this.services = services;
        this.types = types;
        this.scope = scope;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        return new EventsConsumer(this, processor, services, types, scope);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("docker-events is a source: use it in from:");
    }
}
