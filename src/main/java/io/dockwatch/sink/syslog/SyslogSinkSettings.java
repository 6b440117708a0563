package io.dockwatch.sink.syslog;

import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsCheck;
import java.util.Map;
import io.dockwatch.settings.SettingsException;
import java.net.URI;

/** Start-up check of {@code dockwatch.sink.syslog.*}. */
public final class SyslogSinkSettings implements SettingsCheck {
    // the sink's dockwatch.* keys: they live here, with the sink, not in the global Settings
    public static final String URL = "dockwatch.sink.syslog.url";
    public static final String PROTOCOL = "dockwatch.sink.syslog.protocol";
    public static final String FRAMING = "dockwatch.sink.syslog.framing";
    public static final String FACILITY = "dockwatch.sink.syslog.facility";
    public static final String MAX_BYTES = "dockwatch.sink.syslog.max.bytes";
    public static final String TLS_CA = "dockwatch.sink.syslog.tls.ca";
    /** Derived, not set by users: true when {@link #URL} is set (the route's {@code autoStartup}). */
    public static final String ENABLED = "dockwatch.sink.syslog.enabled";

    /** Built-in defaults: what a key means when no application.properties sets it. */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry(URL, ""),
            Map.entry(PROTOCOL, "rfc5424"),
            Map.entry(FRAMING, "octet-counting"),
            Map.entry(FACILITY, "local0"),
            Map.entry(MAX_BYTES, "8192"),
            Map.entry(TLS_CA, ""));

    @Override
    public Map<String, String> defaults() {
        return DEFAULTS;
    }

    private static final String URL_FORM = "udp://host:port, tcp://host:port or tls://host:port";

    @Override
    public void check(Settings s) {
        if (s.isSet(URL)) {
            URI url = s.uri(URL, URL_FORM, "udp", "tcp", "tls");
            if (url.getPort() <= 0) {
                throw new SettingsException(URL, s.string(URL), URL_FORM);
            }
        }
        s.choice(PROTOCOL, SyslogProtocol.class, SyslogProtocol::spelling);
        s.choice(FRAMING, SyslogFraming.class, SyslogFraming::spelling);
        s.choice(FACILITY, SyslogFacility.class, SyslogFacility::spelling);
        s.intInRange(MAX_BYTES, 480, 65000);
        s.readableFile(TLS_CA);
    }

    // "Just add the URL": the sink's route starts when its URL is set, as a setting or a component option
    @Override
    public void derive(Map<String, String> merged, ComponentOptions camel) {
        merged.put(ENABLED, String.valueOf(!merged.getOrDefault(URL, "").isEmpty()
                || camel.isSet("syslog-sink", "url")));
    }
}
