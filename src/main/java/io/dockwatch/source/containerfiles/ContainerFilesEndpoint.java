package io.dockwatch.source.containerfiles;

import io.dockwatch.DockwatchServices;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

public final class ContainerFilesEndpoint extends DefaultEndpoint {
    private final DockwatchServices services;

    ContainerFilesEndpoint(String uri, ContainerFilesComponent component, DockwatchServices services) {
        super(uri, component);
        this.services = services;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        return new ContainerFilesConsumer(this, processor, services);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("docker-container-files is a source: use it in from:");
    }
}
