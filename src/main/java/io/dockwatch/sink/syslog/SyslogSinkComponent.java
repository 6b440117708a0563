package io.dockwatch.sink.syslog;

import io.dockwatch.DockwatchServices;
import io.dockwatch.settings.Settings;
import java.net.URI;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code syslog-sink:NAME[?url=tcp://host:port]} — the syslog sink, configured by the
 * {@code dockwatch.sink.syslog.*} settings; {@code url} may be given per endpoint.
 */
public final class SyslogSinkComponent extends DefaultComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Settings s = DockwatchServices.of(getCamelContext()).settings();
        String url = getAndRemoveParameter(parameters, "url", String.class, s.string(Settings.SINK_SYSLOG_URL));
        if (url.isEmpty()) {
            // the route exists, switched off (autoStartup false); it fails only if started anyway
            return new SyslogSinkEndpoint(uri, this, remaining, null, null, null);
        }
        SyslogMessages messages = new SyslogMessages(
                s.choice(Settings.SINK_SYSLOG_PROTOCOL, Settings.SyslogProtocol.class, Settings.SyslogProtocol::spelling),
                s.choice(Settings.SINK_SYSLOG_FACILITY, Settings.SyslogFacility.class, Settings.SyslogFacility::spelling),
                s.intInRange(Settings.SINK_SYSLOG_MAX_BYTES, 480, 65000));
        Settings.SyslogFraming framing =
                s.choice(Settings.SINK_SYSLOG_FRAMING, Settings.SyslogFraming.class, Settings.SyslogFraming::spelling);
        URI target = URI.create(url);
        return new SyslogSinkEndpoint(uri, this, remaining.isEmpty() ? "syslog" : remaining, messages,
                () -> new SyslogTransport(target, framing,
                        s.isSet(Settings.SINK_SYSLOG_TLS_CA) ? s.path(Settings.SINK_SYSLOG_TLS_CA) : null),
                target.getScheme() + "://" + target.getHost() + ":" + target.getPort());
    }
}
