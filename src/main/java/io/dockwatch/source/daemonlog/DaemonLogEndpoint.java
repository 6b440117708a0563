package io.dockwatch.source.daemonlog;

import io.dockwatch.record.Kind;
import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsException;
import io.dockwatch.source.SourceServices;
import io.dockwatch.source.tail.FileTailConsumer;
import java.util.List;
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
 * The Docker daemon's own log as daemon.log records: a log file tailed like host logs (rotation
 * followed, resumed from a checkpoint), or the docker unit's journal. Idle when there is neither.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "daemon-log", title = "dockwatch Docker daemon log",
        syntax = "daemon-log:name", consumerOnly = true, category = { Category.MONITORING, Category.CONTAINER })
public final class DaemonLogEndpoint extends DefaultEndpoint implements AfterPropertiesConfigured {
    /** The value of dockwatch.daemon.log that selects the journal instead of a file. */
    static final String JOURNALD = "journald";
    /** Checkpoint keys {@code daemon-log/<dev>:<ino>} for a file, {@code daemon-log/journald} for the journal. */
    static final String CHECKPOINT_PREFIX = "daemon-log";
    /** A label for the endpoint (docker). */
    @UriPath
    @Metadata(required = false)
    private String name;
    /**
     * The daemon's log: a file such as /var/log/docker.log, or journald for the docker unit's
     * journal. Unset: the setting dockwatch.daemon.log (empty by default: idle).
     */
    @UriParam
    private String source;
    /**
     * What is read of a file met for the first time, before there is a checkpoint: all (the whole
     * file) or none (what is written from now on). Setting: dockwatch.host.logs.backlog.
     */
    @UriParam(enums = "all,none")
    private String backlog;
    private SourceServices services;

    DaemonLogEndpoint(String uri, DaemonLogComponent component, SourceServices services) {
        super(uri, component);
        this.services = services;
    }

    /** Options bound: the consumer reads the settings with them laid over the keys; a bad one fails now, named. */
    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        OptionAliases aliases = OptionAliases.of("daemon-log", services.settings())
                .option(Settings.HOST_LOGS_BACKLOG, "backlog", backlog);
        try {
            Settings s = aliases.settings();
            s.choice(Settings.HOST_LOGS_BACKLOG, Settings.LogBacklog.class, Settings.LogBacklog::spelling);
            services = services.withSettings(s);
        } catch (SettingsException e) {
            throw aliases.explain(e);
        }
    }

    /** The settings as this endpoint's consumer reads them. */
    public Settings settings() {
        return services.settings();
    }

    public String getBacklog() {
        return backlog;
    }

    public void setBacklog(String backlog) {
        this.backlog = backlog;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getSource() {
        return source;
    }

    public void setSource(String source) {
        this.source = source;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        String source = this.source == null || this.source.isBlank()
                ? services.settings().string(Settings.DAEMON_LOG) : this.source.trim();
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
