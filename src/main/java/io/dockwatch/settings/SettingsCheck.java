package io.dockwatch.settings;

/**
 * The start-up check of one part's own {@code dockwatch.*} settings (a sink's URL form, its
 * enums). {@link Settings#validate()} runs every check listed in
 * {@code META-INF/services/io.dockwatch.settings.SettingsCheck}, so a wrong setting still stops
 * start-up with one line, and the part keeps its settings' meaning in its own package.
 */
public interface SettingsCheck {
    /** Throws {@link SettingsException} naming the key, its value and what is allowed. */
    void check(Settings settings);

    /**
     * Adds keys the part derives from the merged settings before they are read, such as a sink's
     * {@code ...enabled} from whether its address is set (a route's {@code autoStartup} wants a
     * boolean), as its {@code dockwatch.*} key or as its component's option ({@code camel}).
     */
    default void derive(java.util.Map<String, String> merged, ComponentOptions camel) {
    }

    /** {@code camel.component.<scheme>.<option>} as set with the settings' precedence (JVM, environment, file). */
    @FunctionalInterface
    interface ComponentOptions {
        /** The option's value, trimmed; empty when unset. */
        String get(String scheme, String option);

        default boolean isSet(String scheme, String option) {
            return !get(scheme, option).isEmpty();
        }
    }
}
