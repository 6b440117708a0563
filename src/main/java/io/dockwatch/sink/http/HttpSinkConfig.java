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
                .option(HttpSinkSettings.URL, "url", o.getUrl())
                .option(HttpSinkSettings.FORMAT, "format", o.getFormat())
                .option(HttpSinkSettings.GZIP, "gzip", o.getGzip())
                .option(HttpSinkSettings.MAX_BYTES, "maxBytes", o.getMaxBytes())
                .option(HttpSinkSettings.TIMEOUT, "timeout", o.getTimeout())
                .option(HttpSinkSettings.RETRY_INITIAL, "retryInitial", o.getRetryInitial())
                .option(HttpSinkSettings.RETRY_MAX, "retryMax", o.getRetryMax())
                .option(HttpSinkSettings.AUTH, "auth", o.getAuth())
                .option(HttpSinkSettings.AUTH_FILE, "authFile", o.getAuthFile())
                .option(HttpSinkSettings.TLS_CA, "tlsCa", o.getTlsCa())
                .option(HttpSinkSettings.INDEX, "index", o.getIndex())
                .option(HttpSinkSettings.SPLUNK_SOURCE, "splunkSource", o.getSplunkSource())
                .option(HttpSinkSettings.SPLUNK_SOURCETYPE, "splunkSourcetype", o.getSplunkSourcetype())
                .option(HttpSinkSettings.SPLUNK_INDEX, "splunkIndex", o.getSplunkIndex())
                .option(HttpSinkSettings.SUMO_CATEGORY, "sumoCategory", o.getSumoCategory())
                .option(HttpSinkSettings.SUMO_NAME, "sumoName", o.getSumoName());
        try {
            return from(aliases.settings());
        } catch (SettingsException e) {
            throw aliases.explain(e);
        }
    }

    private static HttpSinkConfig from(Settings s) {
        HttpFormat format = s.choice(HttpSinkSettings.FORMAT, HttpFormat.class,
                HttpFormat::spelling);
        String url = s.string(HttpSinkSettings.URL);
        if (url.isEmpty()) {
            // the route exists, switched off (autoStartup false); it fails only if started anyway
            return null;
        }
        s.uri(HttpSinkSettings.URL, "an http:// or https:// URL such as https://logs.example.com:8088/services/collector/event",
                "http", "https");
        return new HttpSinkConfig(URI.create(url), format, s.bool(HttpSinkSettings.GZIP),
                s.bytes(HttpSinkSettings.MAX_BYTES), s.duration(HttpSinkSettings.TIMEOUT),
                s.duration(HttpSinkSettings.RETRY_INITIAL), s.duration(HttpSinkSettings.RETRY_MAX),
                authorization(s), s.isSet(HttpSinkSettings.TLS_CA) ? s.path(HttpSinkSettings.TLS_CA) : null,
                new HttpBodyFormat.Options(s.string(HttpSinkSettings.INDEX), s.string(HttpSinkSettings.SPLUNK_SOURCE),
                        s.string(HttpSinkSettings.SPLUNK_SOURCETYPE), s.string(HttpSinkSettings.SPLUNK_INDEX),
                        s.string(HttpSinkSettings.SUMO_CATEGORY), s.string(HttpSinkSettings.SUMO_NAME)),
                s.path(Settings.STATE_DIR).resolve("dead-letter"));
    }

    private static String authorization(Settings s) {
        if (s.isSet(HttpSinkSettings.AUTH_FILE)) {
            try {
                return Files.readString(s.path(HttpSinkSettings.AUTH_FILE)).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + HttpSinkSettings.AUTH_FILE, e);
            }
        }
        return s.string(HttpSinkSettings.AUTH);
    }

    /** The URL without user info or query, for logs and dead letters (tokens often ride in either). */
    String safeUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "") + url.getRawPath();
    }
}
