package io.dockwatch.sink.http;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

public final class HttpSinkEndpoint extends DefaultEndpoint {
    private final String name;
    private final HttpSinkConfig config;

    HttpSinkEndpoint(String uri, HttpSinkComponent component, String name, HttpSinkConfig config) {
        super(uri, component);
        this.name = name;
        this.config = config;
    }

    @Override
    public Producer createProducer() {
        return new HttpSinkProducer(this, name, config);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("http-sink is a sink: use it in to:, not from:");
    }
}
