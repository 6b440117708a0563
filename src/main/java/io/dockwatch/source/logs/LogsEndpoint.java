package io.dockwatch.source.logs;

import io.dockwatch.DockwatchServices;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

public final class LogsEndpoint extends DefaultEndpoint {
    private final DockwatchServices services;

    LogsEndpoint(String uri, LogsComponent component, DockwatchServices services) {
        super(uri, component);
        this.services = services;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        return new LogsConsumer(this, processor, services);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("docker-logs is a source: use it in from:");
    }
}
