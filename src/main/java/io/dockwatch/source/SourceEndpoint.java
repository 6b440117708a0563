package io.dockwatch.source;

import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** An endpoint that is only a source ({@code from:}); each source supplies how its consumer is made. */
public class SourceEndpoint extends DefaultEndpoint {
    /** Makes the source's consumer for a route. */
    @FunctionalInterface
    public interface ConsumerFactory {
        Consumer create(SourceEndpoint endpoint, Processor processor, SourceServices services);
    }

    private final SourceServices services;
    private final ConsumerFactory factory;

    public SourceEndpoint(String uri, Component component, SourceServices services, ConsumerFactory factory) {
        super(uri, component);
        this.services = services;
        this.factory = factory;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        return factory.create(this, processor, services);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + " is a source: use it in from:, not to:");
    }
}
