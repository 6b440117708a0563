package io.dockwatch.settings;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * The start-up check of one part's own {@code dockwatch.*} settings (a sink's URL form, its
 * enums), with the keys' built-in defaults and the keys it derives. The part keeps its settings'
 * meaning in its own package; {@link Settings} finds the checks two ways:
 * <ul>
 * <li>a Camel component's: named by {@link Of} on the component class, found through the
 * component's own descriptor ({@code META-INF/services/org/apache/camel/component/<scheme>}, which
 * Camel's build plugin writes for every {@code @Component}), so a new sink needs no line anywhere
 * else;</li>
 * <li>any other part's: listed in {@code META-INF/services/io.dockwatch.settings.SettingsCheck}.</li>
 * </ul>
 */
public interface SettingsCheck {
    /** Throws {@link SettingsException} naming the key, its value and what is allowed. */
    void check(Settings settings);

    /**
     * The part's keys with their built-in values, for keys no {@code application.properties} sets:
     * a new sink's settings need no line in the shipped file.
     */
    default Map<String, String> defaults() {
        return Map.of();
    }

    /**
     * Adds keys the part derives from the merged settings before they are read, such as a sink's
     * {@code ...enabled} from whether its address is set (a route's {@code autoStartup} wants a
     * boolean), as its {@code dockwatch.*} key or as its component's option ({@code camel}).
     */
    default void derive(Map<String, String> merged, ComponentOptions camel) {
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

    /**
     * On a Camel component class: the check of the {@code dockwatch.*} keys its options stand for.
     * The class needs a public no-argument constructor.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface Of {
        Class<? extends SettingsCheck> value();
    }
}
