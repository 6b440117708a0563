package io.dockwatch.source;

import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsException;
import org.apache.camel.AfterPropertiesConfigured;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.util.StringHelper;

/**
 * An endpoint that is only a source ({@code from:}); each source supplies how its consumer is made.
 * A source with options of its own (a {@link SourceConfiguration}) lays them over the settings they
 * stand for once Camel has bound them, so its consumer reads the settings as this endpoint means
 * them: URI option, else {@code camel.component.<scheme>.<option>}, else the {@code dockwatch.*} key.
 */
public class SourceEndpoint extends DefaultEndpoint implements AfterPropertiesConfigured {
    /** Makes the source's consumer for a route. */
    @FunctionalInterface
    public interface ConsumerFactory {
        Consumer create(SourceEndpoint endpoint, Processor processor, SourceServices services);
    }

    /**
     * A label for the endpoint (all, proc, files...): a source reads everything it is set to read,
     * whatever the label, so the shipped routes' URIs stay as users wrote them.
     */
    @UriPath
    @Metadata(required = false)
    private String name;
    private SourceServices services;
    private final ConsumerFactory factory;
    private final SourceConfiguration options;

    public SourceEndpoint(String uri, Component component, SourceServices services, ConsumerFactory factory) {
        this(uri, component, services, factory, null);
    }

    /** {@code options}: the endpoint's copy of its component's configuration, which Camel binds the URI's query to. */
    public SourceEndpoint(String uri, Component component, SourceServices services, ConsumerFactory factory,
            SourceConfiguration options) {
        super(uri, component);
        this.services = services;
        this.factory = factory;
        this.options = options;
        String path = StringHelper.after(uri, ":", "");
        path = path.startsWith("//") ? path.substring(2) : path;
        this.name = StringHelper.before(path, "?", path);
    }

    /** Options bound: read with the settings' rules now, so a bad one fails start-up with one line naming it. */
    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        if (options == null) {
            return;
        }
        OptionAliases aliases = OptionAliases.of(StringHelper.before(getEndpointUri(), ":"), services.settings());
        options.alias(aliases);
        try {
            Settings endpointSettings = aliases.settings();
            options.check(endpointSettings);
            services = services.withSettings(endpointSettings);
        } catch (SettingsException e) {
            throw aliases.explain(e);
        }
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        return factory.create(this, processor, services);
    }

    /** The settings as this endpoint's consumer reads them: its options laid over the keys they stand for. */
    public Settings settings() {
        return services.settings();
    }

    /** The services this endpoint's consumer is given. */
    public SourceServices services() {
        return services;
    }

    public String getName() {
        return name;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + " is a source: use it in from:, not to:");
    }
}
