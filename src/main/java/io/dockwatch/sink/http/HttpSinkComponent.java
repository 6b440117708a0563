package io.dockwatch.sink.http;

import io.dockwatch.settings.Settings;
import io.dockwatch.wiring.ServiceBeans;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code http-sink:NAME[?url=RAW(...)&format=loki]} — the HTTP sink. Everything comes from the
 * {@code dockwatch.sink.http.*} settings; {@code url} and {@code format} may be given per endpoint
 * so one collector can feed two receivers. NAME names its dead-letter files.
 */
public final class HttpSinkComponent extends DefaultComponent {
    @Metadata(label = "advanced", autowired = true,
            description = "The collector's settings, whose dockwatch.* keys give the options left out (bean dockwatchSettings)")
    private Settings settings;

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
        String url = getAndRemoveParameter(parameters, "url", String.class);
        String format = getAndRemoveParameter(parameters, "format", String.class);
        HttpSinkConfig config = HttpSinkConfig.from(settings, url, format);
        return new HttpSinkEndpoint(uri, this, remaining.isEmpty() ? "http" : remaining, config);
    }
}
