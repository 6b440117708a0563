package io.dockwatch.source.config;

import io.dockwatch.DockwatchServices;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

public final class ConfigEndpoint extends DefaultEndpoint {
    private final DockwatchServices services;

    ConfigEndpoint(String uri, ConfigComponent component, DockwatchServices services) {
        super(uri, component);
        this.services = services;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        return new ConfigConsumer(this, processor, services);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("docker-config is a source: use it in from:");
    }
}
