package io.dockwatch.source;

import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import org.apache.camel.RuntimeCamelException;

/**
 * A source's own options, shared by its component ({@code camel.component.<scheme>.<option>}, the
 * defaults of every endpoint) and each endpoint (the URI's query). An option left unset (null)
 * falls back to the {@code dockwatch.*} setting it stands for, as a sink's do: the consumer reads
 * the settings with the options laid over them (see {@link SourceEndpoint}).
 */
public abstract class SourceConfiguration implements Cloneable {
    /** Lays every option over the setting it stands for. */
    protected abstract void alias(OptionAliases aliases);

    /** Reads each key an option stands for with the settings' rules, so a bad value fails when the route is made. */
    protected abstract void check(Settings settings);

    /** A copy for an endpoint, so its URI options do not change the component's. */
    public SourceConfiguration copy() {
        try {
            return (SourceConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
