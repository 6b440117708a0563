package io.dockwatch.sink.http;

import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsCheck;
import java.util.Map;

/** Start-up check of {@code dockwatch.sink.http.*}. */
public final class HttpSinkSettings implements SettingsCheck {
    // Checked whether or not the URL is set: YAML routes may name the sink with their own ?url=.
    @Override
    public void check(Settings s) {
        if (s.isSet(Settings.SINK_HTTP_URL)) {
            s.uri(Settings.SINK_HTTP_URL,
                    "an http:// or https:// URL such as https://logs.example.com:8088/services/collector/event", "http",
                    "https");
        }
        s.choice(Settings.SINK_HTTP_FORMAT, HttpFormat.class, HttpFormat::spelling);
        s.bool(Settings.SINK_HTTP_GZIP);
        s.bytes(Settings.SINK_HTTP_MAX_BYTES);
        s.duration(Settings.SINK_HTTP_TIMEOUT);
        s.duration(Settings.SINK_HTTP_RETRY_INITIAL);
        s.duration(Settings.SINK_HTTP_RETRY_MAX);
        s.readableFile(Settings.SINK_HTTP_AUTH_FILE);
        s.readableFile(Settings.SINK_HTTP_TLS_CA);
    }

    // "Just add the URL": the sink's route starts when its URL is set, as a setting or a component option
    @Override
    public void derive(Map<String, String> merged, ComponentOptions camel) {
        merged.put(Settings.SINK_HTTP_ENABLED, String.valueOf(!merged.getOrDefault(Settings.SINK_HTTP_URL, "").isEmpty()
                || camel.isSet("http-sink", "url")));
    }
}
