package io.dockwatch.settings;

/** A setting with a value the collector cannot use. The message is the one line the user sees. */
public final class SettingsException extends RuntimeException {
    public SettingsException(String key, String value, String allowed) {
        super("Invalid setting " + key + "=" + (value == null ? "" : value) + ": allowed " + allowed);
    }

    /** A problem with the settings as a whole (an unreadable settings file). */
    public SettingsException(String message) {
        super(message);
    }
}
