package io.dockwatch.sink.syslog;

import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsCheck;
import java.util.Map;
import io.dockwatch.settings.SettingsException;
import java.net.URI;

/** Start-up check of {@code dockwatch.sink.syslog.*}. */
public final class SyslogSinkSettings implements SettingsCheck {
    private static final String URL_FORM = "udp://host:port, tcp://host:port or tls://host:port";

    @Override
    public void check(Settings s) {
        if (s.isSet(Settings.SINK_SYSLOG_URL)) {
            URI url = s.uri(Settings.SINK_SYSLOG_URL, URL_FORM, "udp", "tcp", "tls");
            if (url.getPort() <= 0) {
                throw new SettingsException(Settings.SINK_SYSLOG_URL, s.string(Settings.SINK_SYSLOG_URL), URL_FORM);
            }
        }
        s.choice(Settings.SINK_SYSLOG_PROTOCOL, SyslogProtocol.class, SyslogProtocol::spelling);
        s.choice(Settings.SINK_SYSLOG_FRAMING, SyslogFraming.class, SyslogFraming::spelling);
        s.choice(Settings.SINK_SYSLOG_FACILITY, SyslogFacility.class, SyslogFacility::spelling);
        s.intInRange(Settings.SINK_SYSLOG_MAX_BYTES, 480, 65000);
        s.readableFile(Settings.SINK_SYSLOG_TLS_CA);
    }

    // "Just add the URL": the sink's route starts when its URL is set, as a setting or a component option
    @Override
    public void derive(Map<String, String> merged, ComponentOptions camel) {
        merged.put(Settings.SINK_SYSLOG_ENABLED, String.valueOf(!merged.getOrDefault(Settings.SINK_SYSLOG_URL, "").isEmpty()
                || camel.isSet("syslog-sink", "url")));
    }
}
