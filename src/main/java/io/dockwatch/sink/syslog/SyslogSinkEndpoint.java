package io.dockwatch.sink.syslog;

import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsException;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.apache.camel.AfterPropertiesConfigured;
import org.apache.camel.CamelContext;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Sends the spool's records to a syslog receiver over UDP, TCP or TLS as RFC 5424 or RFC 3164
 * messages, one per record.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "syslog-sink", title = "dockwatch syslog sink",
        syntax = "syslog-sink:name", producerOnly = true, remote = true,
        category = { Category.MONITORING, Category.NETWORKING })
public final class SyslogSinkEndpoint extends DefaultEndpoint implements AfterPropertiesConfigured {
    /** The name this sink uses in its log lines and metrics. */
    @UriPath(defaultValue = "syslog")
    @Metadata(required = false)
    private final String name;
    @UriParam
    private SyslogSinkConfiguration configuration;
    private final Settings settings;
    private SyslogMessages messages;
    private Supplier<SyslogTransport> transport;
    private String target;

    SyslogSinkEndpoint(String uri, SyslogSinkComponent component, String name, SyslogSinkConfiguration configuration,
            Settings settings) {
        super(uri, component);
        this.name = name;
        this.configuration = configuration;
        this.settings = settings;
    }

    /** Options bound: read with the settings' rules now, so a bad one fails start-up with one line. */
    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        SyslogSinkConfiguration o = configuration;
        OptionAliases aliases = OptionAliases.of("syslog-sink", settings)
                .option(SyslogSinkSettings.URL, "url", o.getUrl())
                .option(SyslogSinkSettings.PROTOCOL, "protocol", o.getProtocol())
                .option(SyslogSinkSettings.FRAMING, "framing", o.getFraming())
                .option(SyslogSinkSettings.FACILITY, "facility", o.getFacility())
                .option(SyslogSinkSettings.MAX_BYTES, "maxBytes", o.getMaxBytes())
                .option(SyslogSinkSettings.TLS_CA, "tlsCa", o.getTlsCa());
        try {
            Settings s = aliases.settings();
            if (!s.isSet(SyslogSinkSettings.URL)) {
                // the route exists, switched off (autoStartup false); it fails only if started anyway
                return;
            }
            URI url = s.uri(SyslogSinkSettings.URL, "udp://host:port, tcp://host:port or tls://host:port",
                    "udp", "tcp", "tls");
            if (url.getPort() <= 0) {
                throw new SettingsException(SyslogSinkSettings.URL, s.string(SyslogSinkSettings.URL),
                        "udp://host:port, tcp://host:port or tls://host:port");
            }
            messages = new SyslogMessages(
                    s.choice(SyslogSinkSettings.PROTOCOL, SyslogProtocol.class, SyslogProtocol::spelling),
                    s.choice(SyslogSinkSettings.FACILITY, SyslogFacility.class, SyslogFacility::spelling),
                    s.intInRange(SyslogSinkSettings.MAX_BYTES, 480, 65000));
            SyslogFraming framing =
                    s.choice(SyslogSinkSettings.FRAMING, SyslogFraming.class, SyslogFraming::spelling);
            Path tlsCa = s.isSet(SyslogSinkSettings.TLS_CA) ? s.path(SyslogSinkSettings.TLS_CA) : null;
            transport = () -> new SyslogTransport(url, framing, tlsCa);
            target = url.getScheme() + "://" + url.getHost() + ":" + url.getPort();
        } catch (SettingsException e) {
            throw aliases.explain(e);
        }
    }

    public String getName() {
        return name;
    }

    public SyslogSinkConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SyslogSinkConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        if (transport == null) {
            // Camel starts the producers of switched-off routes too; this one fails only if given records
            return new org.apache.camel.support.DefaultProducer(this) {
                @Override
                public void process(org.apache.camel.Exchange exchange) {
                    throw new IllegalStateException("The syslog sink needs dockwatch.sink.syslog.url"
                            + " (or url on syslog-sink:, or camel.component.syslog-sink.url)");
                }
            };
        }
        return new SyslogSinkProducer(this, name, messages, transport.get(), target);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("syslog-sink is a sink: use it in to:, not from:");
    }
}
