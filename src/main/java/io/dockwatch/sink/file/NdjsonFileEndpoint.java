package io.dockwatch.sink.file;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

public final class NdjsonFileEndpoint extends DefaultEndpoint {
    /**
     * When a file is closed and what happens to closed files.
     *
     * @param maxBytes the size at which the next file is begun
     * @param maxAge the age at which the next file is begun (null: no time limit)
     * @param gzip whether closed files are compressed to {@code .ndjson.gz}
     * @param keepFiles closed files kept, newest first (0: all)
     * @param keepAge closed files older than this are deleted (null: kept)
     */
    public record Rolling(long maxBytes, Duration maxAge, boolean gzip, int keepFiles, Duration keepAge) {
    }

    private final Path dir;
    private final String prefix;
    private final Rolling rolling;

    NdjsonFileEndpoint(String uri, NdjsonFileComponent component, Path dir, String prefix, Rolling rolling) {
        super(uri, component);
        this.dir = dir;
        this.prefix = prefix;
        this.rolling = rolling;
    }

    @Override
    public Producer createProducer() {
        return new NdjsonFileProducer(this, dir, prefix, rolling);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("ndjson-file is a sink: use it in to:, not from:");
    }
}
