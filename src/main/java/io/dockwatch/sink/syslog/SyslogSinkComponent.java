package io.dockwatch.sink.syslog;

import io.dockwatch.settings.SettingsCheck;
import io.dockwatch.settings.Settings;
import io.dockwatch.wiring.ServiceBeans;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code syslog-sink:NAME[?url=tcp://host:port&...]} — the syslog sink. Each option may be given
 * on the URI, for every endpoint as {@code camel.component.syslog-sink.<option>}, or as its
 * {@code dockwatch.sink.syslog.*} setting, in that order.
 */
@SettingsCheck.Of(SyslogSinkSettings.class)
@Component("syslog-sink")
public final class SyslogSinkComponent extends DefaultComponent {
    @Metadata(label = "advanced", autowired = true,
            description = "The collector's settings, whose dockwatch settings give the options left out (bean dockwatchSettings)")
    private Settings settings;

    /** The options every endpoint starts from. */
    @Metadata
    private SyslogSinkConfiguration configuration = new SyslogSinkConfiguration();

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        settings = ServiceBeans.resolve(getCamelContext(), settings, Settings.class);
    }

    public Settings getSettings() {
        return settings;
    }

    public void setSettings(Settings settings) {
        this.settings = settings;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        return new SyslogSinkEndpoint(uri, this, remaining.isEmpty() ? "syslog" : remaining, configuration.copy(), settings);
    }

    public SyslogSinkConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SyslogSinkConfiguration configuration) {
        this.configuration = configuration;
    }
}
