package io.dockwatch.sink.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dockwatch.DockwatchServices;
import io.dockwatch.settings.Settings;
import io.dockwatch.sink.SinkTesting;
import io.dockwatch.spool.Spool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new sink is one package plus one route in YAML: {@link ExampleSinkComponent}, found by Camel
 * through its scheme file, drains the spool with its own cursor and gets the spool's guarantees
 * (a refused batch is delivered again, nothing twice), with no edit to the settings, the defaults
 * or any other package.
 */
class NewSinkTest {
    private static final String ROUTE = """
            - route:
                id: sink-example
                autoStartup: "{{dockwatch.sink.example.enabled}}"
                from: {uri: "spool:records?sink=example", steps: [{to: "example-sink:default"}]}
            """;

    @TempDir
    Path state;

    @Test
    void aSinkPackageAndOneRouteDeliverEveryRecordOnce() throws Exception {
        Properties p = SinkTesting.defaults();
        p.setProperty(Settings.STATE_DIR, state.toString());
        p.setProperty(Settings.OUTPUT_DIR, state.resolve("out").toString());
        p.setProperty(ExampleSinkSettings.URL, "mem:test"); // switches the route on, as a URL does a shipped sink's
        ExampleSinkComponent.RECEIVED.clear();
        ExampleSinkComponent.failNext.set(2);
        Settings settings = Settings.from(p, Map.of(), new Properties()).validate();
        try (DockwatchServices services = new DockwatchServices(settings);
                DefaultCamelContext camel = new DefaultCamelContext()) {
            Properties placeholders = new Properties();
            placeholders.putAll(settings.runtimeProperties());
            camel.getPropertiesComponent().setInitialProperties(placeholders);
            camel.getRegistry().bind("dockwatchServices", services);
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("new-sink.camel.yaml", ROUTE));
            camel.start();
            Spool spool = services.spool("records");
            List<String> sent = IntStream.range(0, 50)
                    .mapToObj(i -> "{\"@timestamp\":\"2026-12-02T10:00:00Z\",\"kind\":\"log\",\"n\":" + i + "}").toList();
            sent.forEach(r -> spool.append(r.getBytes(StandardCharsets.UTF_8), List.of()));
            spool.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> ExampleSinkComponent.RECEIVED.size() >= sent.size());
            Thread.sleep(500); // a batch sent twice would show now
            assertThat(ExampleSinkComponent.failNext.get()).as("the refused attempts happened").isZero();
            assertThat(ExampleSinkComponent.RECEIVED).containsExactlyElementsOf(sent);
        }
    }

    /**
     * The sink's own settings without a line anywhere else: its default is there, its check runs
     * in {@code validate()} (one line naming the key), and its enabled key is derived from its
     * address, as a setting or as {@code camel.component.example-sink.url}.
     */
    @Test
    void theSinksSettingsCheckIsFoundThroughItsComponent() {
        Properties p = SinkTesting.defaults();
        assertThat(p.getProperty(ExampleSinkSettings.URL)).as("not in application.properties").isNull();
        Settings off = Settings.from(p, Map.of(), new Properties());
        assertThat(off.isSet(ExampleSinkSettings.URL)).isFalse();
        assertThat(off.string(ExampleSinkSettings.URL)).isEmpty();
        assertThat(off.bool(ExampleSinkSettings.ENABLED)).isFalse();

        Properties camelWay = new Properties();
        camelWay.setProperty("camel.component.example-sink.url", "mem:x");
        assertThat(Settings.from(p, Map.of(), camelWay).bool(ExampleSinkSettings.ENABLED)).isTrue();

        p.setProperty(ExampleSinkSettings.URL, "http://nope");
        Settings bad = Settings.from(p, Map.of(), new Properties());
        org.assertj.core.api.Assertions.assertThatThrownBy(bad::validate)
                .hasMessage("Invalid setting dockwatch.sink.example.url=http://nope: allowed mem:NAME");
    }
}
