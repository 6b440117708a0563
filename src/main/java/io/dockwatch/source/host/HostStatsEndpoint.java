package io.dockwatch.source.host;

import io.dockwatch.DockwatchServices;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

public final class HostStatsEndpoint extends DefaultEndpoint {
    private final DockwatchServices services;

    HostStatsEndpoint(String uri, HostStatsComponent component, DockwatchServices services) {
        super(uri, component);
        this.services = services;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        return new HostStatsConsumer(this, processor, services);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("host-stats is a source: use it in from:");
    }
}
