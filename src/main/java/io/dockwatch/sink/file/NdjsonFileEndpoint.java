package io.dockwatch.sink.file;

import java.nio.file.Path;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

public final class NdjsonFileEndpoint extends DefaultEndpoint {
    private final Path dir;
    private final String prefix;
    private final long maxBytes;

    NdjsonFileEndpoint(String uri, NdjsonFileComponent component, Path dir, String prefix, long maxBytes) {
        super(uri, component);
        this.dir = dir;
        this.prefix = prefix;
        this.maxBytes = maxBytes;
    }

    @Override
    public Producer createProducer() {
        return new NdjsonFileProducer(this, dir, prefix, maxBytes);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("ndjson-file is a sink: use it in to:, not from:");
    }
}
