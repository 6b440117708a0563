package io.dockwatch.sink.http;

import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsCheck;
import java.util.Map;

/** Start-up check of {@code dockwatch.sink.http.*}. */
public final class HttpSinkSettings implements SettingsCheck {
    // the sink's dockwatch.* keys: they live here, with the sink, not in the global Settings
    public static final String URL = "dockwatch.sink.http.url";
    public static final String FORMAT = "dockwatch.sink.http.format";
    public static final String GZIP = "dockwatch.sink.http.gzip";
    public static final String MAX_BYTES = "dockwatch.sink.http.max.bytes";
    public static final String TIMEOUT = "dockwatch.sink.http.timeout";
    public static final String RETRY_INITIAL = "dockwatch.sink.http.retry.initial";
    public static final String RETRY_MAX = "dockwatch.sink.http.retry.max";
    public static final String AUTH = "dockwatch.sink.http.auth";
    public static final String AUTH_FILE = "dockwatch.sink.http.auth.file";
    public static final String TLS_CA = "dockwatch.sink.http.tls.ca";
    public static final String INDEX = "dockwatch.sink.http.index";
    public static final String SPLUNK_SOURCE = "dockwatch.sink.http.splunk.source";
    public static final String SPLUNK_SOURCETYPE = "dockwatch.sink.http.splunk.sourcetype";
    public static final String SPLUNK_INDEX = "dockwatch.sink.http.splunk.index";
    public static final String SUMO_CATEGORY = "dockwatch.sink.http.sumo.category";
    public static final String SUMO_NAME = "dockwatch.sink.http.sumo.name";
    /** Derived, not set by users: true when {@link #URL} is set (the route's {@code autoStartup}). */
    public static final String ENABLED = "dockwatch.sink.http.enabled";

    /** Built-in defaults: what a key means when no application.properties sets it. */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry(URL, ""),
            Map.entry(FORMAT, "ndjson"),
            Map.entry(GZIP, "false"),
            Map.entry(MAX_BYTES, "1mb"),
            Map.entry(TIMEOUT, "30s"),
            Map.entry(RETRY_INITIAL, "500ms"),
            Map.entry(RETRY_MAX, "30s"),
            Map.entry(AUTH, ""),
            Map.entry(AUTH_FILE, ""),
            Map.entry(TLS_CA, ""),
            Map.entry(INDEX, "dockwatch-{kind}"),
            Map.entry(SPLUNK_SOURCE, "dockwatch"),
            Map.entry(SPLUNK_SOURCETYPE, "dockwatch:{kind}"),
            Map.entry(SPLUNK_INDEX, ""),
            Map.entry(SUMO_CATEGORY, "dockwatch/{kind}"),
            Map.entry(SUMO_NAME, "dockwatch"));

    @Override
    public Map<String, String> defaults() {
        return DEFAULTS;
    }

    // Checked whether or not the URL is set: YAML routes may name the sink with their own ?url=.
    @Override
    public void check(Settings s) {
        if (s.isSet(URL)) {
            s.uri(URL,
                    "an http:// or https:// URL such as https://logs.example.com:8088/services/collector/event", "http",
                    "https");
        }
        s.choice(FORMAT, HttpFormat.class, HttpFormat::spelling);
        s.bool(GZIP);
        s.bytes(MAX_BYTES);
        s.duration(TIMEOUT);
        s.duration(RETRY_INITIAL);
        s.duration(RETRY_MAX);
        s.readableFile(AUTH_FILE);
        s.readableFile(TLS_CA);
    }

    // "Just add the URL": the sink's route starts when its URL is set, as a setting or a component option
    @Override
    public void derive(Map<String, String> merged, ComponentOptions camel) {
        merged.put(ENABLED, String.valueOf(!merged.getOrDefault(URL, "").isEmpty()
                || camel.isSet("http-sink", "url")));
    }
}
