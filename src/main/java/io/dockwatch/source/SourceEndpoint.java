package io.dockwatch.source;

import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.util.StringHelper;

/** An endpoint that is only a source ({@code from:}); each source supplies how its consumer is made. */
public class SourceEndpoint extends DefaultEndpoint {
    /** Makes the source's consumer for a route. */
    @FunctionalInterface
    public interface ConsumerFactory {
        Consumer create(SourceEndpoint endpoint, Processor processor, SourceServices services);
    }

    /**
     * A label for the endpoint (all, proc, files...): a source reads everything it is set to read,
     * whatever the label, so the shipped routes' URIs stay as users wrote them.
     */
    @UriPath
    @Metadata(required = false)
    private String name;
    private final SourceServices services;
    private final ConsumerFactory factory;

    public SourceEndpoint(String uri, Component component, SourceServices services, ConsumerFactory factory) {
        super(uri, component);
        this.services = services;
        this.factory = factory;
        String path = StringHelper.after(uri, ":", "");
        path = path.startsWith("//") ? path.substring(2) : path;
        this.name = StringHelper.before(path, "?", path);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        return factory.create(this, processor, services);
    }

    public String getName() {
        return name;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + " is a source: use it in from:, not to:");
    }
}
