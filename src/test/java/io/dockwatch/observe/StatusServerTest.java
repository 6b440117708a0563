package io.dockwatch.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dockwatch.DockwatchServices;
import io.dockwatch.record.Json;
import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsException;
import io.dockwatch.testing.Http;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector's HTTP server on a free port: what each path answers, and the token off loopback. */
class StatusServerTest {
    private static final String TOKEN = "s3cret-t0ken";

    @TempDir
    Path work;

    private Settings settings(String host, String token) {
        Properties p = new Properties();
        p.setProperty(Settings.DOCKER_HOSTS, "unix:///nonexistent/docker.sock");
        p.setProperty(Settings.OUTPUT_DIR, work.resolve("out").toString());
        p.setProperty(Settings.STATE_DIR, work.resolve("state").toString());
        p.setProperty(Settings.HTTP_HOST, host);
        p.setProperty(Settings.HTTP_PORT, "0");
        p.setProperty(Settings.HTTP_TOKEN, token);
        p.setProperty(Settings.HEALTH_DAEMON_DOWN_AFTER, "60s");
        p.setProperty(Settings.HEALTH_SINK_DOWN_AFTER, "5m");
        return Settings.forRuntime(p); // the shipped defaults under these
    }

    @Test
    void onLoopbackEveryPathAnswersWithoutAToken() throws Exception {
        Settings s = settings("127.0.0.1", "");
        try (DockwatchServices services = new DockwatchServices(s);
                ObserveServer server = ObserveServer.start(services.observe(), s)) {
            String base = server.baseUrl();
            assertThat(base).matches("http://127\\.0\\.0\\.1:\\d+").doesNotEndWith(":0");

            Http.Response metrics = Http.get(base + ObserveServer.PATH_METRICS);
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.contentType()).startsWith("text/plain; version=0.0.4");
            assertThat(metrics.body()).contains("# TYPE dockwatch_uptime_seconds gauge");

            Http.Response page = Http.get(base + "/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(page.body()).contains("<title>dockwatch</title>").contains("observe/status.json")
                    .doesNotContain("https://").doesNotContain("src=\"http");

            Http.Response status = Http.get(base + ObserveServer.PATH_STATUS_JSON);
            assertThat(status.status()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(status.body()).path("daemons").get(0).path("endpoint").asText())
                    .isEqualTo("unix:///nonexistent/docker.sock");

            // starting: alive, not ready, so not healthy either
            assertThat(Http.get(base + ObserveServer.PATH_LIVE).status()).isEqualTo(200);
            Http.Response ready = Http.get(base + ObserveServer.PATH_READY);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).contains("\"status\":\"DOWN\"").contains("collector is starting");
            assertThat(Http.get(base + ObserveServer.PATH_HEALTH).status()).isEqualTo(503);
            services.observe().phase(Observe.Phase.RUNNING);
            assertThat(Http.get(base + ObserveServer.PATH_READY).status()).isEqualTo(200);
            assertThat(Http.get(base + ObserveServer.PATH_HEALTH).status()).isEqualTo(200);

            assertThat(Http.get(base + "/nothing-here").status()).isEqualTo(404);
        }
    }

    @Test
    void offLoopbackTheTokenIsRequiredExceptForHealth() throws Exception {
        Settings s = settings("0.0.0.0", TOKEN);
        try (DockwatchServices services = new DockwatchServices(s);
                ObserveServer server = ObserveServer.start(services.observe(), s)) {
            String base = "http://127.0.0.1:" + server.port();
            services.observe().phase(Observe.Phase.RUNNING);

            Http.Response refused = Http.get(base + ObserveServer.PATH_METRICS);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.body()).contains(Settings.HTTP_TOKEN);
            assertThat(Http.get(base + "/").status()).isEqualTo(401);
            assertThat(Http.get(base + ObserveServer.PATH_STATUS_JSON).status()).isEqualTo(401);
            assertThat(Http.get(base + ObserveServer.PATH_METRICS, "Authorization", "Bearer wrong").status()).isEqualTo(401);
            assertThat(Http.get(base + ObserveServer.PATH_METRICS + "?token=wrong").status()).isEqualTo(401);

            assertThat(Http.get(base + ObserveServer.PATH_METRICS, "Authorization", "Bearer " + TOKEN).status()).isEqualTo(200);
            assertThat(Http.get(base + "/?token=" + TOKEN).status()).isEqualTo(200);
            assertThat(Http.get(base + ObserveServer.PATH_STATUS_JSON + "?token=" + TOKEN).status()).isEqualTo(200);
            // probes carry no secrets
            assertThat(Http.get(base + ObserveServer.PATH_LIVE).status()).isEqualTo(200);
        }
    }

    @Test
    void bindingOffLoopbackWithoutATokenStopsStartUpWithOneLine() {
        assertThatThrownBy(() -> settings("0.0.0.0", "").httpToken())
                .isInstanceOf(SettingsException.class)
                .hasMessage("Invalid setting dockwatch.http.token=: allowed a secret token when dockwatch.http.host=0.0.0.0"
                        + " is not a loopback address (or dockwatch.http.token.file, or bind to 127.0.0.1)");
        assertThat(settings("localhost", "").httpToken()).isEmpty();
        assertThat(settings("::1", "").httpToken()).isEmpty();
    }

    @Test
    void theTokenCanComeFromAFileSuchAsADockerSecret() throws Exception {
        Path secret = work.resolve("dockwatch-http-token");
        java.nio.file.Files.writeString(secret, TOKEN + "\n"); // as `echo TOKEN > file` leaves it
        Settings s = withTokenFile(settings("0.0.0.0", ""), secret);
        assertThat(s.httpToken()).isEqualTo(TOKEN);
        try (DockwatchServices services = new DockwatchServices(s);
                ObserveServer server = ObserveServer.start(services.observe(), s)) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(Http.get(base + ObserveServer.PATH_METRICS).status()).isEqualTo(401);
            assertThat(Http.get(base + ObserveServer.PATH_METRICS + "?token=" + TOKEN).status()).isEqualTo(200);
        }

        assertThatThrownBy(() -> withTokenFile(settings("0.0.0.0", ""), work.resolve("missing")).httpToken())
                .hasMessage("Invalid setting dockwatch.http.token.file=" + work.resolve("missing")
                        + ": allowed a readable file holding the token (no such file)");
        assertThatThrownBy(() -> withTokenFile(settings("0.0.0.0", TOKEN), secret).httpToken())
                .hasMessageContaining("only when dockwatch.http.token is not set as well");
    }

    private static Settings withTokenFile(Settings s, Path file) {
        Properties p = new Properties();
        s.asMap().forEach(p::setProperty);
        p.setProperty(Settings.HTTP_TOKEN_FILE, file.toString());
        return Settings.forRuntime(p);
    }
}
