package io.dockwatch.sink.example;

import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsCheck;
import io.dockwatch.settings.SettingsException;
import java.util.Map;

/**
 * The example sink's own {@code dockwatch.sink.example.*} keys, their defaults and their check:
 * found through {@link ExampleSinkComponent}'s {@code @SettingsCheck.Of}, with no line in any
 * {@code META-INF/services} file and none in {@code application.properties}.
 */
public final class ExampleSinkSettings implements SettingsCheck {
    public static final String URL = "dockwatch.sink.example.url";
    public static final String ENABLED = "dockwatch.sink.example.enabled";

    @Override
    public Map<String, String> defaults() {
        return Map.of(URL, "");
    }

    @Override
    public void check(Settings s) {
        if (s.isSet(URL) && !s.string(URL).startsWith("mem:")) {
            throw new SettingsException(URL, s.string(URL), "mem:NAME");
        }
    }

    @Override
    public void derive(Map<String, String> merged, ComponentOptions camel) {
        merged.put(ENABLED, String.valueOf(!merged.getOrDefault(URL, "").isEmpty() || camel.isSet("example-sink", "url")));
    }
}
