package io.dockwatch.sink.file;

import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsCheck;
import java.util.Map;

/** Start-up check of {@code dockwatch.sink.file.*}. */
public final class NdjsonFileSettings implements SettingsCheck {
    // the sink's dockwatch.* keys: they live here, with the sink, not in the global Settings
    public static final String ENABLED = "dockwatch.sink.file.enabled";
    public static final String MAX_BYTES = "dockwatch.sink.file.max.bytes";
    public static final String MAX_AGE = "dockwatch.sink.file.max.age";
    public static final String GZIP = "dockwatch.sink.file.gzip";
    public static final String RETENTION_COUNT = "dockwatch.sink.file.retention.count";
    public static final String RETENTION_AGE = "dockwatch.sink.file.retention.age";

    /** Built-in defaults: what a key means when no application.properties sets it. */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry(ENABLED, "true"),
            Map.entry(MAX_BYTES, "64mb"),
            Map.entry(MAX_AGE, ""),
            Map.entry(GZIP, "false"),
            Map.entry(RETENTION_COUNT, "0"),
            Map.entry(RETENTION_AGE, ""));

    @Override
    public Map<String, String> defaults() {
        return DEFAULTS;
    }

    @Override
    public void check(Settings s) {
        s.bool(ENABLED);
        s.bytes(MAX_BYTES);
        if (s.isSet(MAX_AGE)) {
            s.duration(MAX_AGE);
        }
        s.bool(GZIP);
        s.intInRange(RETENTION_COUNT, 0, Integer.MAX_VALUE);
        if (s.isSet(RETENTION_AGE)) {
            s.duration(RETENTION_AGE);
        }
    }
}
