package io.dockwatch.sink.file;

import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.AfterPropertiesConfigured;
import org.apache.camel.CamelContext;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Writes the spool's records to NDJSON files in a folder: one line per record, a file closed and
 * the next begun by size or age, closed files compressed and pruned as configured.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "ndjson-file", title = "dockwatch NDJSON file sink",
        syntax = "ndjson-file:dir", producerOnly = true, category = { Category.MONITORING, Category.FILE })
public final class NdjsonFileEndpoint extends DefaultEndpoint implements AfterPropertiesConfigured {
    /**
     * When a file is closed and what happens to closed files.
     *
     * @param maxBytes the size at which the next file is begun
     * @param maxAge the age at which the next file is begun (null: no time limit)
     * @param gzip whether closed files are compressed to {@code .ndjson.gz}
     * @param keepFiles closed files kept, newest first (0: all)
     * @param keepAge closed files older than this are deleted (null: kept)
     */
    /** The size at which a file is closed when neither the option nor its setting says. */
    private static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

    public record Rolling(long maxBytes, Duration maxAge, boolean gzip, int keepFiles, Duration keepAge) {
    }

    /** The folder the files are written in (created when missing). */
    @UriPath
    @Metadata(required = true)
    private final Path dir;
    @UriParam
    private NdjsonFileConfiguration configuration;
    private final Settings settings;
    private Rolling rolling;

    NdjsonFileEndpoint(String uri, NdjsonFileComponent component, Path dir, NdjsonFileConfiguration configuration,
            Settings settings) {
        super(uri, component);
        this.dir = dir;
        this.configuration = configuration;
        this.settings = settings;
    }

    /** Options bound: read with the settings' rules now, so a bad one fails start-up with one line. */
    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        NdjsonFileConfiguration o = configuration;
        OptionAliases aliases = OptionAliases.of("ndjson-file", settings)
                .option(NdjsonFileSettings.MAX_BYTES, "maxBytes", o.getMaxBytes())
                .option(NdjsonFileSettings.MAX_AGE, "maxAge", o.getMaxAge())
                .option(NdjsonFileSettings.GZIP, "gzip", o.getGzip())
                .option(NdjsonFileSettings.RETENTION_COUNT, "keepFiles", o.getKeepFiles())
                .option(NdjsonFileSettings.RETENTION_AGE, "keepAge", o.getKeepAge());
        try {
            Settings s = aliases.settings();
            rolling = new Rolling(
                    s.isSet(NdjsonFileSettings.MAX_BYTES) ? s.bytes(NdjsonFileSettings.MAX_BYTES) : DEFAULT_MAX_BYTES,
                    s.isSet(NdjsonFileSettings.MAX_AGE) ? s.duration(NdjsonFileSettings.MAX_AGE) : null,
                    s.isSet(NdjsonFileSettings.GZIP) && s.bool(NdjsonFileSettings.GZIP),
                    s.isSet(NdjsonFileSettings.RETENTION_COUNT)
                            ? s.intInRange(NdjsonFileSettings.RETENTION_COUNT, 0, Integer.MAX_VALUE) : 0,
                    s.isSet(NdjsonFileSettings.RETENTION_AGE) ? s.duration(NdjsonFileSettings.RETENTION_AGE) : null);
        } catch (SettingsException e) {
            throw aliases.explain(e);
        }
    }

    @Override
    public Producer createProducer() {
        String prefix = configuration.getPrefix();
        return new NdjsonFileProducer(this, dir, prefix == null || prefix.isBlank() ? "dockwatch" : prefix.trim(), rolling);
    }

    public Path getDir() {
        return dir;
    }

    public NdjsonFileConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(NdjsonFileConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("ndjson-file is a sink: use it in to:, not from:");
    }
}
