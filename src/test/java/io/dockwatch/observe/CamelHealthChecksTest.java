package io.dockwatch.observe;

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
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sink that keeps failing is DOWN in Camel's own health checks, as in /observe/health, and UP again once it delivers. */
class CamelHealthChecksTest {
    @TempDir
    Path state;
    private DefaultCamelContext camel;
    private DockwatchServices services;

    @AfterEach
    void close() {
        camel.stop();
        services.close();
    }

    @Test
    void aFailingSinkIsDownInCamelsReadinessChecksAndUpWhenItDeliversAgain() throws Exception {
        Properties p = SinkTesting.defaults();
        p.setProperty(Settings.STATE_DIR, state.toString());
        p.setProperty(Settings.OUTPUT_DIR, state.resolve("out").toString());
        p.setProperty(Settings.HEALTH_SINK_DOWN_AFTER, "1s");
        services = new DockwatchServices(Settings.from(p, Map.of(), new Properties()).validate());
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("dockwatchServices", services);
        AtomicBoolean receiverDown = new AtomicBoolean(true);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("spool:records?sink=flaky").process(e -> {
                    if (receiverDown.get()) {
                        throw new IllegalStateException("connection refused");
                    }
                });
            }
        });
        Spool spool = services.spool("records");
        spool.append("{\"kind\":\"log\",\"n\":1}".getBytes(StandardCharsets.UTF_8), List.of());
        spool.flush();
        camel.start();

        await("sink check DOWN").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> sinkCheck().map(r -> r.getState() == HealthCheck.State.DOWN).orElse(false));
        assertThat(sinkCheck().orElseThrow().getMessage()).hasValueSatisfying(m -> assertThat(m).contains("connection refused"));
        assertThat(HealthCheckHelper.invokeLiveness(camel)).as("not a reason to restart the process")
                .noneMatch(r -> r.getCheck().getId().startsWith("dockwatch-"));
        assertThat(services.observe().health(Observe.Check.HEALTH).path("status").asText()).isEqualTo("DOWN");

        receiverDown.set(false);
        await("sink check UP").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> sinkCheck().map(r -> r.getState() == HealthCheck.State.UP).orElse(false));
    }

    private Optional<HealthCheck.Result> sinkCheck() {
        return HealthCheckHelper.invokeReadiness(camel).stream()
                .filter(r -> r.getCheck().getId().equals("dockwatch-sink-flaky")).findFirst();
    }
}
