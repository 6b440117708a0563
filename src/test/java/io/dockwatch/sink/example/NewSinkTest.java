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
                from: {uri: "spool:records?sink=example", steps: [{to: "example-sink:default"}]}
            """;

    @TempDir
    Path state;

    @Test
    void aSinkPackageAndOneRouteDeliverEveryRecordOnce() throws Exception {
        Properties p = SinkTesting.defaults();
        p.setProperty(Settings.STATE_DIR, state.toString());
        p.setProperty(Settings.OUTPUT_DIR, state.resolve("out").toString());
        ExampleSinkComponent.RECEIVED.clear();
        ExampleSinkComponent.failNext.set(2);
        try (DockwatchServices services = new DockwatchServices(Settings.from(p, Map.of(), new Properties()).validate());
                DefaultCamelContext camel = new DefaultCamelContext()) {
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
}
