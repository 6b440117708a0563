package io.dockwatch.source.daemonstats;

import io.dockwatch.DockwatchServices;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

public final class DaemonStatsEndpoint extends DefaultEndpoint {
    private final DockwatchServices services;

    DaemonStatsEndpoint(String uri, DaemonStatsComponent component, DockwatchServices services) {
        super(uri, component);
        this.services = services;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        return new DaemonStatsConsumer(this, processor, services);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("docker-daemon-stats is a source: use it in from:");
    }
}
