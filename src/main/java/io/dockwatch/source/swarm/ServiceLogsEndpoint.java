package io.dockwatch.source.swarm;

import io.dockwatch.DockwatchServices;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

public final class ServiceLogsEndpoint extends DefaultEndpoint {
    private final DockwatchServices services;

    ServiceLogsEndpoint(String uri, ServiceLogsComponent component, DockwatchServices services) {
        super(uri, component);
        this.services = services;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        return new ServiceLogsConsumer(this, processor, services);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("docker-service-logs is a source: use it in from:");
    }
}
