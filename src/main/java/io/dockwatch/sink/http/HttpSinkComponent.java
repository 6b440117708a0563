package io.dockwatch.sink.http;

import io.dockwatch.settings.SettingsCheck;
import io.dockwatch.settings.Settings;
import io.dockwatch.wiring.ServiceBeans;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code http-sink:NAME[?url=RAW(...)&format=loki&...]} — the HTTP sink. Each option may be given
 * on the URI, for every endpoint as {@code camel.component.http-sink.<option>}, or as its
 * {@code dockwatch.sink.http.*} setting, in that order; so one collector can feed two receivers.
 * NAME names its dead-letter files.
 */
@SettingsCheck.Of(HttpSinkSettings.class)
@Component("http-sink")
public final class HttpSinkComponent extends DefaultComponent {
    @Metadata(label = "advanced", autowired = true,
            description = "The collector's settings, whose dockwatch settings give the options left out (bean dockwatchSettings)")
    private Settings settings;

    /** The options every endpoint starts from. */
    @Metadata
    private HttpSinkConfiguration configuration = new HttpSinkConfiguration();

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
        return new HttpSinkEndpoint(uri, this, remaining.isEmpty() ? "http" : remaining, configuration.copy(), settings);
    }

    public HttpSinkConfiguration getConfiguration() {
        return configuration;
    }

    /** The options every endpoint starts from. */
    public void setConfiguration(HttpSinkConfiguration configuration) {
        this.configuration = configuration;
    }
}
