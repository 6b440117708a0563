package io.dockwatch.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.DockwatchServices;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.settings.Settings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health against a real event stream to a daemon that is not there (a closed TCP port): ready
 * while it is within its threshold, DOWN with the reason once it stays unreachable longer.
 */
class HealthTest {
    @TempDir
    Path work;

    private Settings settings(String hosts, String downAfter) {
        Properties p = new Properties();
        p.setProperty(Settings.DOCKER_HOSTS, hosts);
        p.setProperty(Settings.OUTPUT_DIR, work.resolve("out").toString());
        p.setProperty(Settings.STATE_DIR, work.resolve("state").toString());
        p.setProperty(Settings.HTTP_HOST, "127.0.0.1");
        p.setProperty(Settings.HEALTH_DAEMON_DOWN_AFTER, downAfter);
        p.setProperty(Settings.HEALTH_SINK_DOWN_AFTER, "5m");
        return Settings.forRuntime(p); // the shipped defaults under these
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aDaemonUnreachablePastItsThresholdTurnsHealthDownWithTheReasonWhileLivenessStaysUp() throws IOException {
        String endpoint = "tcp://127.0.0.1:" + closedPort();
        try (DockwatchServices services = new DockwatchServices(settings(endpoint, "1s"))) {
            Observe observe = services.observe();
            observe.phase(Observe.Phase.RUNNING);
            DaemonEvents events = services.events(services.daemons().get(0));
            events.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> "DOWN".equals(observe.health(Observe.Check.HEALTH).path("status").asText()));
            JsonNode health = observe.health(Observe.Check.HEALTH);
            JsonNode daemonCheck = check(health, "daemon " + endpoint);
            assertThat(daemonCheck).isNotNull();
            assertThat(daemonCheck.path("status").asText()).isEqualTo("DOWN");
            assertThat(daemonCheck.path("reason").asText()).startsWith("unreachable for ").contains("limit 1 s");
            assertThat(observe.health(Observe.Check.LIVE).path("status").asText()).isEqualTo("UP");
            assertThat(observe.health(Observe.Check.READY).path("status").asText()).isEqualTo("UP");
            assertThat(observe.metrics().scrape())
                    .contains("dockwatch_daemons_connected 0\n")
                    .contains("dockwatch_daemon_up{daemon=\"" + endpoint + "\"} 0\n");
        }
    }

    @Test
    void withinTheThresholdTheDaemonIsStillHealthyAndReadinessFollowsThePhase() throws IOException {
        String endpoint = "tcp://127.0.0.1:" + closedPort();
        try (DockwatchServices services = new DockwatchServices(settings(endpoint, "1h"))) {
            Observe observe = services.observe();
            services.events(services.daemons().get(0)).start();
            assertThat(observe.health(Observe.Check.READY).path("status").asText()).isEqualTo("DOWN");
            assertThat(observe.health(Observe.Check.READY).path("checks").get(0).path("reason").asText())
                    .isEqualTo("collector is starting");
            observe.phase(Observe.Phase.RUNNING);
            await().atMost(Duration.ofSeconds(10)).until(() -> services.daemons().get(0).status().lastError() != null);
            assertThat(observe.health(Observe.Check.HEALTH).path("status").asText()).isEqualTo("UP");
            assertThat(check(observe.health(Observe.Check.HEALTH), "daemon " + endpoint).path("reason").asText())
                    .contains("limit 3600 s");
            observe.phase(Observe.Phase.STOPPING);
            assertThat(observe.health(Observe.Check.READY).path("status").asText()).isEqualTo("DOWN");
        }
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode c : health.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        return null;
    }
}
