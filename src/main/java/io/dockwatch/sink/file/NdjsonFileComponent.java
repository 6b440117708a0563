package io.dockwatch.sink.file;

import io.dockwatch.settings.SettingsCheck;
import io.dockwatch.settings.Settings;
import io.dockwatch.wiring.ServiceBeans;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code ndjson-file:DIR[?maxBytes=64mb&maxAge=1h&gzip=true&keepFiles=10&keepAge=7d&prefix=dockwatch]}
 * — the NDJSON file sink. Each option may be given on the URI, for every endpoint as
 * {@code camel.component.ndjson-file.<option>}, or as its {@code dockwatch.sink.file.*} setting,
 * in that order.
 */
@SettingsCheck.Of(NdjsonFileSettings.class)
@Component("ndjson-file")
public final class NdjsonFileComponent extends DefaultComponent {
    /** The options every endpoint starts from. */
    @Metadata
    private NdjsonFileConfiguration configuration = new NdjsonFileConfiguration();

    @Metadata(label = "advanced", autowired = true,
            description = "The collector's settings, whose dockwatch settings give the options left out (bean dockwatchSettings)")
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
        return new NdjsonFileEndpoint(uri, this, Path.of(remaining), configuration.copy(), settings);
    }

    public NdjsonFileConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(NdjsonFileConfiguration configuration) {
        this.configuration = configuration;
    }
}
