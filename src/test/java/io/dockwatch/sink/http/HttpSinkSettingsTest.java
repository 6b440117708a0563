package io.dockwatch.sink.http;

import io.dockwatch.sink.syslog.SyslogSinkSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsException;
import io.dockwatch.sink.SinkTesting;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The HTTP and syslog sinks' settings: switched on by the URL alone, bad values refused in one line. */
class HttpSinkSettingsTest {
    private static Settings settings(Map<String, String> jvm) {
        Properties p = new Properties();
        jvm.forEach(p::setProperty);
        return Settings.from(SinkTesting.defaults(), Map.of(), p);
    }

    @Test
    void sinksAreOffByDefaultAndOnWhenTheirUrlIsSet() {
        Settings none = settings(Map.of()).validate();
        assertThat(none.asMap()).containsEntry(HttpSinkSettings.ENABLED, "false")
                .containsEntry(SyslogSinkSettings.ENABLED, "false");
        Settings both = settings(Map.of(HttpSinkSettings.URL, "https://logs.example:8088/services/collector/event",
                SyslogSinkSettings.URL, "tls://127.0.0.1:6514")).validate();
        assertThat(both.asMap()).containsEntry(HttpSinkSettings.ENABLED, "true")
                .containsEntry(SyslogSinkSettings.ENABLED, "true");
    }

    @Test
    void theUrlCanComeFromTheEnvironment() {
        Settings s = Settings.from(SinkTesting.defaults(), Map.of("DOCKWATCH_SINK_HTTP_URL", "http://127.0.0.1:3100/loki/api/v1/push",
                "DOCKWATCH_SINK_HTTP_FORMAT", "loki"), new Properties()).validate();
        assertThat(s.asMap()).containsEntry(HttpSinkSettings.ENABLED, "true");
        assertThat(s.choice(HttpSinkSettings.FORMAT, HttpFormat.class, HttpFormat::spelling))
                .isEqualTo(HttpFormat.LOKI);
    }

    @Test
    void badValuesAreRefusedNamingKeyValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> settings(Map.of(HttpSinkSettings.URL, "ftp://x/")).validate())
                .isInstanceOf(SettingsException.class).hasMessageContaining("dockwatch.sink.http.url=ftp://x/")
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> settings(Map.of(HttpSinkSettings.URL, "http://x/", HttpSinkSettings.FORMAT, "graylog"))
                .validate()).isInstanceOf(SettingsException.class)
                .hasMessage("Invalid setting dockwatch.sink.http.format=graylog: allowed one of ndjson, json-array, "
                        + "elasticsearch-bulk, splunk-hec, loki, sumo");
        assertThatThrownBy(() -> settings(Map.of(HttpSinkSettings.URL, "http://x/", HttpSinkSettings.AUTH_FILE,
                "/nonexistent/token")).validate()).hasMessageContaining("a readable file");
        assertThatThrownBy(() -> settings(Map.of(SyslogSinkSettings.URL, "syslog.example:514")).validate())
                .hasMessageContaining("udp://host:port, tcp://host:port or tls://host:port");
        assertThatThrownBy(() -> settings(Map.of(SyslogSinkSettings.URL, "tcp://syslog.example")).validate())
                .hasMessageContaining("dockwatch.sink.syslog.url=tcp://syslog.example");
        assertThatThrownBy(() -> settings(Map.of(SyslogSinkSettings.URL, "udp://h:514", SyslogSinkSettings.FRAMING,
                "lf")).validate()).hasMessageContaining("octet-counting, newline");
        assertThatThrownBy(() -> settings(Map.of(SyslogSinkSettings.URL, "udp://h:514", SyslogSinkSettings.FACILITY,
                "local9")).validate()).hasMessageContaining("local7");
    }

    @Test
    void otherSettingsAreCheckedEvenWithoutTheUrlAsRoutesMayGiveTheirOwn() {
        assertThatThrownBy(() -> settings(Map.of(HttpSinkSettings.MAX_BYTES, "lots")).validate())
                .hasMessageContaining("dockwatch.sink.http.max.bytes=lots");
        assertThatThrownBy(() -> settings(Map.of(SyslogSinkSettings.PROTOCOL, "rfc5425")).validate())
                .hasMessageContaining("rfc5424, rfc3164");
    }
}
