package io.dockwatch.settings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A component's Camel options laid over the {@code dockwatch.*} settings they alias. An option set
 * on the URI or as {@code camel.component.<scheme>.<option>} wins; one left unset (null) takes its
 * setting, and so the built-in default. The result is read with the settings' own parsers, so
 * {@code maxBytes=64mb} on a URI means what {@code dockwatch.sink.file.max.bytes=64mb} means, and a
 * bad value fails with the same one line, naming the option and the setting it stands for.
 */
public final class OptionAliases {
    private final String scheme;
    private final Settings settings;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final Map<String, String> optionOfKey = new LinkedHashMap<>();

    private OptionAliases(String scheme, Settings settings) {
        this.scheme = scheme;
        this.settings = settings;
    }

    /** Options of the component {@code scheme} over these settings. */
    public static OptionAliases of(String scheme, Settings settings) {
        return new OptionAliases(scheme, settings);
    }

    /** The option's value stands for {@code key} when it is set (not null). */
    public OptionAliases option(String key, String option, Object value) {
        if (value != null) {
            overrides.put(key, value.toString().trim());
            optionOfKey.put(key, option);
        }
        return this;
    }

    /** The settings with every set option in place of its key. */
    public Settings settings() {
        if (overrides.isEmpty()) {
            return settings;
        }
        Properties p = new Properties();
        p.putAll(settings.asMap());
        p.putAll(overrides);
        return Settings.from(p, Map.of(), new Properties());
    }

    /**
     * A bad value as the line a user acts on: a setting's failure names the option when the value
     * came from one ({@code Invalid option http-sink format=x (as dockwatch.sink.http.format): allowed ...}),
     * and is then no {@link SettingsException}, so the start-up line also names the route and its file.
     */
    public RuntimeException explain(SettingsException e) {
        for (Map.Entry<String, String> o : optionOfKey.entrySet()) {
            String prefix = "Invalid setting " + o.getKey() + "=";
            if (e.getMessage() != null && e.getMessage().startsWith(prefix)) {
                String rest = e.getMessage().substring(prefix.length());
                int colon = rest.indexOf(": allowed ");
                String value = colon < 0 ? rest : rest.substring(0, colon);
                String allowed = colon < 0 ? "" : rest.substring(colon);
                return new IllegalArgumentException("Invalid option " + scheme + " " + o.getValue() + "=" + value
                        + " (as " + o.getKey() + ")" + allowed);
            }
        }
        return e;
    }
}
