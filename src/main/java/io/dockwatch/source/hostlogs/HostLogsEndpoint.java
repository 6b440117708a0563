package io.dockwatch.source.hostlogs;

import io.dockwatch.source.SourceServices;
import io.dockwatch.record.Kind;
import io.dockwatch.source.tail.FileTailConsumer;
import java.util.List;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

public final class HostLogsEndpoint extends DefaultEndpoint {
    /** Checkpoint keys {@code host-logs/<dev>:<ino>}. */
    static final String CHECKPOINT_PREFIX = "host-logs";
    private final SourceServices services;
    private final List<String> patterns;

    HostLogsEndpoint(String uri, HostLogsComponent component, SourceServices services, List<String> patterns) {
        super(uri, component);
        this.services = services;
        this.patterns = patterns;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        return new FileTailConsumer(this, processor, services, Kind.HOST_LOG, CHECKPOINT_PREFIX, patterns);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("host-logs is a source: use it in from:");
    }
}
