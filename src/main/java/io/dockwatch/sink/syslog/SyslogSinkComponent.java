package io.dockwatch.sink.syslog;

import io.dockwatch.settings.Settings;
import io.dockwatch.wiring.ServiceBeans;
import java.net.URI;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code syslog-sink:NAME[?url=tcp://host:port]} — the syslog sink, configured by the
 * {@code dockwatch.sink.syslog.*} settings; {@code url} may be given per endpoint.
 */
public final class SyslogSinkComponent extends DefaultComponent {
    @Metadata(label = "advanced", autowired = true,
            description = "The collector's settings, whose dockwatch.* keys give the options left out (bean dockwatchSettings)")
    private Settings settings;

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        settings = ServiceBeans.resolve(getCamelContext(), settings, Settings.class);
    }

    public Settings getSettings() {
        return settings;
    }

    public void setSettings(Settings settings) {
        this.settings = settings;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Settings s = settings;
        String url = getAndRemoveParameter(parameters, "url", String.class, s.string(Settings.SINK_SYSLOG_URL));
        if (url.isEmpty()) {
            // the route exists, switched off (autoStartup false); it fails only if started anyway
            return new SyslogSinkEndpoint(uri, this, remaining, null, null, null);
        }
        SyslogMessages messages = new SyslogMessages(
                s.choice(Settings.SINK_SYSLOG_PROTOCOL, SyslogProtocol.class, SyslogProtocol::spelling),
                s.choice(Settings.SINK_SYSLOG_FACILITY, SyslogFacility.class, SyslogFacility::spelling),
                s.intInRange(Settings.SINK_SYSLOG_MAX_BYTES, 480, 65000));
        SyslogFraming framing =
                s.choice(Settings.SINK_SYSLOG_FRAMING, SyslogFraming.class, SyslogFraming::spelling);
        URI target = URI.create(url);
        return new SyslogSinkEndpoint(uri, this, remaining.isEmpty() ? "syslog" : remaining, messages,
                () -> new SyslogTransport(target, framing,
                        s.isSet(Settings.SINK_SYSLOG_TLS_CA) ? s.path(Settings.SINK_SYSLOG_TLS_CA) : null),
                target.getScheme() + "://" + target.getHost() + ":" + target.getPort());
    }
}
