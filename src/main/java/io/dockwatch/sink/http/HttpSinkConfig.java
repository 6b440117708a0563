package io.dockwatch.sink.http;

import io.dockwatch.settings.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/** The HTTP sink's settings, read once when its endpoint is made. */
record HttpSinkConfig(URI url, HttpFormat format, boolean gzip, long maxBytes, Duration timeout,
        Duration retryInitial, Duration retryMax, String authorization, Path tlsCa, HttpBodyFormat.Options options,
        Path deadLetterDir) {

    /** The settings, or null when no URL is set. */
    static HttpSinkConfig from(Settings s, String urlOverride, String formatOverride) {
        HttpFormat format = formatOverride == null
                ? s.choice(Settings.SINK_HTTP_FORMAT, HttpFormat.class, HttpFormat::spelling)
                : Arrays.stream(HttpFormat.values())
                        .filter(f -> f.spelling().equals(formatOverride)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("http-sink format must be one of "
                                + Arrays.stream(HttpFormat.values()).map(HttpFormat::spelling).toList()
                                + ": " + formatOverride));
        String url = urlOverride != null ? urlOverride : s.string(Settings.SINK_HTTP_URL);
        if (url.isEmpty()) {
            // the route exists, switched off (autoStartup false); it fails only if started anyway
            return null;
        }
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
