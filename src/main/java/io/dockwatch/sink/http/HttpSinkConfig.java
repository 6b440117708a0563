package io.dockwatch.sink.http;

import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The HTTP sink's settings, read once when its endpoint is made. */
record HttpSinkConfig(URI url, HttpFormat format, boolean gzip, long maxBytes, Duration timeout,
        Duration retryInitial, Duration retryMax, String authorization, Path tlsCa, HttpBodyFormat.Options options,
        Path deadLetterDir) {

    /**
     * The endpoint's options over the {@code dockwatch.sink.http.*} settings they stand for, or
     * null when neither gives a URL.
     */
    static HttpSinkConfig from(Settings settings, HttpSinkConfiguration o) {
        OptionAliases aliases = OptionAliases.of("http-sink", settings)
                .option(Settings.SINK_HTTP_URL, "url", o.getUrl())
                .option(Settings.SINK_HTTP_FORMAT, "format", o.getFormat())
                .option(Settings.SINK_HTTP_GZIP, "gzip", o.getGzip())
                .option(Settings.SINK_HTTP_MAX_BYTES, "maxBytes", o.getMaxBytes())
                .option(Settings.SINK_HTTP_TIMEOUT, "timeout", o.getTimeout())
                .option(Settings.SINK_HTTP_RETRY_INITIAL, "retryInitial", o.getRetryInitial())
                .option(Settings.SINK_HTTP_RETRY_MAX, "retryMax", o.getRetryMax())
                .option(Settings.SINK_HTTP_AUTH, "auth", o.getAuth())
                .option(Settings.SINK_HTTP_AUTH_FILE, "authFile", o.getAuthFile())
                .option(Settings.SINK_HTTP_TLS_CA, "tlsCa", o.getTlsCa())
                .option(Settings.SINK_HTTP_INDEX, "index", o.getIndex())
                .option(Settings.SINK_HTTP_SPLUNK_SOURCE, "splunkSource", o.getSplunkSource())
                .option(Settings.SINK_HTTP_SPLUNK_SOURCETYPE, "splunkSourcetype", o.getSplunkSourcetype())
                .option(Settings.SINK_HTTP_SPLUNK_INDEX, "splunkIndex", o.getSplunkIndex())
                .option(Settings.SINK_HTTP_SUMO_CATEGORY, "sumoCategory", o.getSumoCategory())
                .option(Settings.SINK_HTTP_SUMO_NAME, "sumoName", o.getSumoName());
        try {
            return from(aliases.settings());
        } catch (SettingsException e) {
            throw aliases.explain(e);
        }
    }

    private static HttpSinkConfig from(Settings s) {
        HttpFormat format = s.choice(Settings.SINK_HTTP_FORMAT, HttpFormat.class,
                HttpFormat::spelling);
        String url = s.string(Settings.SINK_HTTP_URL);
        if (url.isEmpty()) {
            // the route exists, switched off (autoStartup false); it fails only if started anyway
            return null;
        }
        s.uri(Settings.SINK_HTTP_URL, "an http:// or https:// URL such as https://logs.example.com:8088/services/collector/event",
                "http", "https");
        return new HttpSinkConfig(URI.create(url), format, s.bool(Settings.SINK_HTTP_GZIP),
                s.bytes(Settings.SINK_HTTP_MAX_BYTES), s.duration(Settings.SINK_HTTP_TIMEOUT),
                s.duration(Settings.SINK_HTTP_RETRY_INITIAL), s.duration(Settings.SINK_HTTP_RETRY_MAX),
                authorization(s), s.isSet(Settings.SINK_HTTP_TLS_CA) ? s.path(Settings.SINK_HTTP_TLS_CA) : null,
                new HttpBodyFormat.Options(s.string(Settings.SINK_HTTP_INDEX), s.string(Settings.SINK_HTTP_SPLUNK_SOURCE),
                        s.string(Settings.SINK_HTTP_SPLUNK_SOURCETYPE), s.string(Settings.SINK_HTTP_SPLUNK_INDEX),
                        s.string(Settings.SINK_HTTP_SUMO_CATEGORY), s.string(Settings.SINK_HTTP_SUMO_NAME)),
                s.path(Settings.STATE_DIR).resolve("dead-letter"));
    }

    private static String authorization(Settings s) {
        if (s.isSet(Settings.SINK_HTTP_AUTH_FILE)) {
            try {
                return Files.readString(s.path(Settings.SINK_HTTP_AUTH_FILE)).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + Settings.SINK_HTTP_AUTH_FILE, e);
            }
        }
        return s.string(Settings.SINK_HTTP_AUTH);
    }

    /** The URL without user info or query, for logs and dead letters (tokens often ride in either). */
    String safeUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "") + url.getRawPath();
    }
}
