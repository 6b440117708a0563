package io.dockwatch.sink.file;

import io.dockwatch.settings.Settings;
import io.dockwatch.wiring.ServiceBeans;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code ndjson-file:DIR[?maxBytes=64mb&maxAge=1h&gzip=true&keepFiles=10&keepAge=7d&prefix=dockwatch]}
 * — the NDJSON file sink. Options left out come from the {@code dockwatch.sink.file.*} settings.
 */
public final class NdjsonFileComponent extends DefaultComponent {
    private static final String DEFAULT_MAX_BYTES = "64mb";

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
        String maxBytes = option(parameters, "maxBytes", settings, Settings.SINK_FILE_MAX_BYTES);
        String maxAge = option(parameters, "maxAge", settings, Settings.SINK_FILE_MAX_AGE);
        String gzip = option(parameters, "gzip", settings, Settings.SINK_FILE_GZIP);
        String keepFiles = option(parameters, "keepFiles", settings, Settings.SINK_FILE_RETENTION_COUNT);
        String keepAge = option(parameters, "keepAge", settings, Settings.SINK_FILE_RETENTION_AGE);
        String prefix = getAndRemoveParameter(parameters, "prefix", String.class, "dockwatch");
        NdjsonFileEndpoint.Rolling rolling = new NdjsonFileEndpoint.Rolling(
                single(Settings.SINK_FILE_MAX_BYTES, maxBytes.isEmpty() ? DEFAULT_MAX_BYTES : maxBytes)
                        .bytes(Settings.SINK_FILE_MAX_BYTES),
                maxAge.isEmpty() ? null : single(Settings.SINK_FILE_MAX_AGE, maxAge).duration(Settings.SINK_FILE_MAX_AGE),
                !gzip.isEmpty() && single(Settings.SINK_FILE_GZIP, gzip).bool(Settings.SINK_FILE_GZIP),
                keepFiles.isEmpty() ? 0 : single(Settings.SINK_FILE_RETENTION_COUNT, keepFiles)
                        .intInRange(Settings.SINK_FILE_RETENTION_COUNT, 0, Integer.MAX_VALUE),
                keepAge.isEmpty() ? null : single(Settings.SINK_FILE_RETENTION_AGE, keepAge)
                        .duration(Settings.SINK_FILE_RETENTION_AGE));
        return new NdjsonFileEndpoint(uri, this, Path.of(remaining), prefix, rolling);
    }

    /** The URI option if given, else the setting (empty when neither is there). */
    private String option(Map<String, Object> parameters, String name, Settings settings, String key) {
        String v = getAndRemoveParameter(parameters, name, String.class);
        return v != null ? v.trim() : settings.string(key);
    }

    /** One value checked by the settings' own rules, so a bad URI option fails like a bad setting. */
    private static Settings single(String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        return Settings.from(p, Map.of(), new Properties());
    }
}
