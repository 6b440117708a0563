package io.dockwatch.source.logs;

import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.ContainerSourceConfiguration;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@code docker-logs:}, on the component ({@code camel.component.docker-logs.*}) and on
 * each endpoint's URI; one left unset (null) falls back to the setting it names.
 */
@UriParams
@Configurer
public class LogsConfiguration extends ContainerSourceConfiguration {
    /**
     * Where reading starts for a container that was there before the collector first saw it and has no
     * checkpoint: all, new, or a number of last lines. Setting: dockwatch.logs.backlog.
     */
    @UriParam(label = "common", defaultValue = "all")
    private String backlog;
    /**
     * Multiline merging, off when empty: a line matching this RE2 regular expression starts a new record,
     * other lines are appended to the one before (stack traces). Setting: dockwatch.logs.multiline.start.
     */
    @UriParam(label = "advanced")
    private String multilineStart;
    /**
     * A merged record is emitted when no continuation line came for this long. Setting:
     * dockwatch.logs.multiline.timeout.
     */
    @UriParam(label = "advanced", defaultValue = "1s")
    private String multilineTimeout;

    @Override
    protected void alias(OptionAliases aliases) {
        super.alias(aliases);
        aliases
                .option(Settings.LOGS_BACKLOG, "backlog", backlog)
                .option(Settings.LOGS_MULTILINE_START, "multilineStart", multilineStart)
                .option(Settings.LOGS_MULTILINE_TIMEOUT, "multilineTimeout", multilineTimeout);
    }

    @Override
    protected void check(Settings s) {
        s.logsBacklog();
        s.pattern(Settings.LOGS_MULTILINE_START);
        s.duration(Settings.LOGS_MULTILINE_TIMEOUT);
    }

    public String getBacklog() {
        return backlog;
    }

    public void setBacklog(String backlog) {
        this.backlog = backlog;
    }

    public String getMultilineStart() {
        return multilineStart;
    }

    public void setMultilineStart(String multilineStart) {
        this.multilineStart = multilineStart;
    }

    public String getMultilineTimeout() {
        return multilineTimeout;
    }

    public void setMultilineTimeout(String multilineTimeout) {
        this.multilineTimeout = multilineTimeout;
    }
}
