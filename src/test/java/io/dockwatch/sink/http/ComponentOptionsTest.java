package io.dockwatch.sink.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dockwatch.settings.Settings;
import io.dockwatch.sink.SinkTesting;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Component;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.support.PropertyBindingSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A component option is found on the URI first, then as camel.component.SCHEME.OPTION (bound the
 * way Camel main binds it: Camel's property binding through the generated component configurer),
 * then as its dockwatch.* setting; on real endpoints of a real Camel context.
 */
class ComponentOptionsTest {
    @TempDir
    Path tmp;

    /** What Camel main does with camel.component.SCHEME.* lines. */
    private static void bindComponentOptions(SinkTesting t, String scheme, Map<String, Object> options) {
        Component component = t.camel().getComponent(scheme);
        Map<String, Object> left = new HashMap<>(options);
        PropertyBindingSupport.build().withCamelContext(t.camel()).withTarget(component)
                .withConfigurer(component.getComponentPropertyConfigurer()).withProperties(left).withRemoveParameters(true)
                .bind();
        assertThat(left).as("options Camel could not bind").isEmpty();
    }

    @Test
    void uriThenComponentThenSetting() throws Exception {
        try (SinkTesting t = new SinkTesting(tmp, Map.of(HttpSinkSettings.URL, "http://127.0.0.1:9/from-setting",
                HttpSinkSettings.FORMAT, "loki"))) {
            HttpSinkConfig settingsOnly = t.camel().getEndpoint("http-sink:a", HttpSinkEndpoint.class).config();
            assertThat(settingsOnly.url()).isEqualTo(URI.create("http://127.0.0.1:9/from-setting"));
            assertThat(settingsOnly.format()).isEqualTo(HttpFormat.LOKI);
            assertThat(settingsOnly.timeout()).as("the built-in default").isEqualTo(Duration.ofSeconds(30));

            bindComponentOptions(t, "http-sink", Map.of("format", "splunk-hec", "timeout", "5s", "gzip", "true"));
            HttpSinkConfig component = t.camel().getEndpoint("http-sink:b", HttpSinkEndpoint.class).config();
            assertThat(component.format()).isEqualTo(HttpFormat.SPLUNK_HEC);
            assertThat(component.timeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(component.gzip()).isTrue();
            assertThat(component.url()).as("still the setting").isEqualTo(URI.create("http://127.0.0.1:9/from-setting"));

            HttpSinkConfig uri = t.camel().getEndpoint(
                    "http-sink:c?format=ndjson&url=RAW(http://127.0.0.1:9/from-uri?token=a&b=c)&splunkIndex=main",
                    HttpSinkEndpoint.class).config();
            assertThat(uri.format()).isEqualTo(HttpFormat.NDJSON);
            assertThat(uri.url()).isEqualTo(URI.create("http://127.0.0.1:9/from-uri?token=a&b=c"));
            assertThat(uri.options().splunkIndex()).isEqualTo("main");
            assertThat(uri.timeout()).as("the component's").isEqualTo(Duration.ofSeconds(5));

            HttpSinkConfig after = t.camel().getEndpoint("http-sink:d", HttpSinkEndpoint.class).config();
            assertThat(after.format()).as("an endpoint's option leaves the component's alone")
                    .isEqualTo(HttpFormat.SPLUNK_HEC);
        }
    }

    @Test
    void aMisspeltOptionAndABadValueAreRefusedNamingThem() throws Exception {
        try (SinkTesting t = new SinkTesting(tmp, Map.of())) {
            assertThatThrownBy(() -> t.camel().getEndpoint("http-sink:x?formatt=loki"))
                    .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("Unknown parameters=[{formatt=loki}]");
            assertThatThrownBy(() -> t.camel().getEndpoint("http-sink:x?url=http://127.0.0.1:9/&format=graylog"))
                    .hasStackTraceContaining("Invalid option http-sink format=graylog (as dockwatch.sink.http.format): "
                            + "allowed one of ndjson, json-array, elasticsearch-bulk, splunk-hec, loki, sumo");
            assertThatThrownBy(() -> t.camel().getEndpoint("ndjson-file:" + tmp + "?maxBytes=lots"))
                    .hasStackTraceContaining("Invalid option ndjson-file maxBytes=lots (as dockwatch.sink.file.max.bytes)");
            assertThatThrownBy(() -> bindComponentOptions(t, "http-sink", Map.of("urll", "http://x/")))
                    .hasMessageContaining("urll");
        }
    }

    @Test
    void noUrlAnywhereLeavesTheSinkOffUntilGivenRecords() throws Exception {
        try (SinkTesting t = new SinkTesting(tmp, Map.of())) {
            assertThat(t.camel().getEndpoint("http-sink:off", HttpSinkEndpoint.class).config()).isNull();
        }
    }
}
