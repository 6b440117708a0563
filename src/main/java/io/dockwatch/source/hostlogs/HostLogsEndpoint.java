package io.dockwatch.source.hostlogs;

import io.dockwatch.record.Kind;
import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsException;
import io.dockwatch.source.SourceServices;
import io.dockwatch.source.tail.FileTailConsumer;
import java.util.Arrays;
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
 * Host log files (paths or glob patterns) tailed as host.log records: rotation followed, resumed
 * from a checkpoint per file. Idle when there are none.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "host-logs", title = "dockwatch host logs",
        syntax = "host-logs:name", consumerOnly = true, category = { Category.MONITORING, Category.FILE })
public final class HostLogsEndpoint extends DefaultEndpoint implements AfterPropertiesConfigured {
    /** Checkpoint keys {@code host-logs/<dev>:<ino>}. */
    static final String CHECKPOINT_PREFIX = "host-logs";
    /** A label for the endpoint (files). */
    @UriPath
    @Metadata(required = false)
    private String name;
    /**
     * Files or glob patterns to tail, comma-separated, such as /var/log/syslog,/srv/app/*.log.
     * Unset: the setting dockwatch.host.logs (empty by default: idle).
     */
    @UriParam
    private String paths;
    /**
     * What is read of a file met for the first time, before there is a checkpoint: all (the whole
     * file) or none (what is written from now on). Setting: dockwatch.host.logs.backlog.
     */
    @UriParam(enums = "all,none")
    private String backlog;
    private SourceServices services;

    HostLogsEndpoint(String uri, HostLogsComponent component, SourceServices services) {
        super(uri, component);
        this.services = services;
    }

    /** Options bound: the consumer reads the settings with them laid over the keys; a bad one fails now, named. */
    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        OptionAliases aliases = OptionAliases.of("host-logs", services.settings())
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

    public String getPaths() {
        return paths;
    }

    public void setPaths(String paths) {
        this.paths = paths;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        List<String> patterns = paths == null || paths.isBlank() ? services.settings().list(Settings.HOST_LOGS)
                : Arrays.stream(paths.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new FileTailConsumer(this, processor, services, Kind.HOST_LOG, CHECKPOINT_PREFIX, patterns);
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("host-logs is a source: use it in from:");
    }
}
