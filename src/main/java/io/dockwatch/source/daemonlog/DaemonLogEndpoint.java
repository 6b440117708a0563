package io.dockwatch.source.daemonlog;

import io.dockwatch.source.SourceServices;
import io.dockwatch.record.Kind;
import io.dockwatch.source.tail.FileTailConsumer;
import java.util.List;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

public final class DaemonLogEndpoint extends DefaultEndpoint {
    /** The value of dockwatch.daemon.log that selects the journal instead of a file. */
    static final String JOURNALD = "journald";
    /** Checkpoint keys {@code daemon-log/<dev>:<ino>} for a file, {@code daemon-log/journald} for the journal. */
    static final String CHECKPOINT_PREFIX = "daemon-log";
    private final SourceServices services;
    private final String source;

    DaemonLogEndpoint(String uri, DaemonLogComponent component, SourceServices services, String source) {
        super(uri, component);
        this.services = services;
        this.source = source;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        if (JOURNALD.equals(source)) {
            return new JournaldConsumer(this, processor, services);
        }
        return new FileTailConsumer(this, processor, services, Kind.DAEMON_LOG, CHECKPOINT_PREFIX,
                source.isEmpty() ? List.of() : List.of(source));
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("daemon-log is a source: use it in from:");
    }
}
