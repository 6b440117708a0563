package io.dockwatch;

import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsCheck;
import io.dockwatch.source.logs.file.LogFiles;
import io.dockwatch.spool.SpoolOverflow;

/** Start-up check of the settings {@link DockwatchServices} reads to make the services: whose enums live with them. */
public final class ServiceSettings implements SettingsCheck {
    @Override
    public void check(Settings s) {
        s.choice(Settings.LOGS_READ, LogFiles.Mode.class, LogFiles.Mode::spelling);
        s.choice(Settings.SPOOL_OVERFLOW, SpoolOverflow.class, SpoolOverflow::spelling);
    }
}
