package io.dockwatch.sink.file;

import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsCheck;

/** Start-up check of {@code dockwatch.sink.file.*}. */
public final class NdjsonFileSettings implements SettingsCheck {
    @Override
    public void check(Settings s) {
        s.bool(Settings.SINK_FILE_ENABLED);
        s.bytes(Settings.SINK_FILE_MAX_BYTES);
        if (s.isSet(Settings.SINK_FILE_MAX_AGE)) {
            s.duration(Settings.SINK_FILE_MAX_AGE);
        }
        s.bool(Settings.SINK_FILE_GZIP);
        s.intInRange(Settings.SINK_FILE_RETENTION_COUNT, 0, Integer.MAX_VALUE);
        if (s.isSet(Settings.SINK_FILE_RETENTION_AGE)) {
            s.duration(Settings.SINK_FILE_RETENTION_AGE);
        }
    }
}
