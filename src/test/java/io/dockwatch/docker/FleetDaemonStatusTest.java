package io.dockwatch.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dockwatch.DockwatchServices;
import io.dockwatch.record.Record;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.events.EventRecords;
import io.dockwatch.testing.RecordedDockerApi;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the health endpoint reads per daemon, and the identity records carry. */
class FleetDaemonStatusTest {
    private static final String RECORDED_ID = "6BEV:NOLI:24YN:D77D:AKW2:GSZW:L3P5:DQDJ:QJ4T:YCUB:D5TQ:2GF4";

    @TempDir
    Path state;

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aDaemonThatAnswersIsConnectedAndStampsItsIdOnRecords() throws Exception {
        try (RecordedDockerApi api = new RecordedDockerApi("engine-29", ApiVersion.parse("1.44"));
             DockerDaemon daemon = new DockerDaemon(DockerEndpoint.of(api.uri(), Map.of()))) {
            assertThat(daemon.status().connected()).isFalse();
            assertThat(daemon.status().lastError()).isNull();
            DaemonEvents events = new DaemonEvents(daemon);
            List<Record> records = new CopyOnWriteArrayList<>();
            events.addListener((ev, pos) -> records.add(EventRecords.toRecord(ev, daemon)));
            events.resumeFrom(io.dockwatch.record.Json.NODES.objectNode().put("time_nano", 1L));
            events.start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> !records.isEmpty());
            } finally {
                events.stop();
            }
            assertThat(daemon.status().daemonId()).isEqualTo(RECORDED_ID);
            assertThat(daemon.status().hostName()).isEqualTo("vm");
            assertThat(records.get(0).get("host.daemon_id").asText()).isEqualTo(RECORDED_ID);
            assertThat(records.get(0).get("host.endpoint").asText()).isEqualTo(api.uri().toString());
            Record line = Record.logLine("2026-11-27T00:00:00Z", "vm", "tcp://x:1", RECORDED_ID, "c1", "hi", "stdout");
            assertThat(line.toString()).contains("\"daemon_id\":\"" + RECORDED_ID + "\"");
            assertThat(line.node().path("host").path("daemon_id").asText()).isEqualTo(RECORDED_ID);
        }
    }

    @Test
    void anUnreachableDaemonIsDisconnectedSinceStartWithItsErrorAndOthersAreListedInOrder() throws Exception {
        int port = closedPort();
        Properties jvm = new Properties();
        jvm.setProperty(Settings.DOCKER_HOSTS, "unix:///nonexistent/docker.sock,tcp://127.0.0.1:" + port);
        jvm.setProperty(Settings.STATE_DIR, state.toString());
        Instant before = Instant.now();
        Properties defaults = new Properties();
        try (var in = getClass().getResourceAsStream("/application.properties")) {
            defaults.load(in);
        }
        try (DockwatchServices services = new DockwatchServices(Settings.from(defaults, Map.of(), jvm).validate())) {
            for (DockerDaemon d : services.daemons()) {
                services.events(d).start();
            }
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    services.daemonStatuses().stream().allMatch(s -> s.lastError() != null));
            List<DaemonStatus> statuses = services.daemonStatuses();
            assertThat(statuses).extracting(DaemonStatus::endpoint)
                    .containsExactly("unix:///nonexistent/docker.sock", "tcp://127.0.0.1:" + port);
            assertThat(statuses).allSatisfy(s -> {
                assertThat(s.connected()).isFalse();
                assertThat(s.daemonId()).isNull();
                assertThat(s.since()).isBetween(before, Instant.now());
                assertThat(s.lastError()).startsWith("Docker at " + s.endpoint() + " unreachable");
            });
        }
    }

    @Test
    void aRefusedTlsHandshakeNamesTheCertificateFolder() {
        DockerEndpoint tls = DockerEndpoint.of(URI.create("tcp://10.0.0.5:2376?tls_verify=true&cert_path=/etc/dw/certs"), Map.of());
        try (DockerDaemon daemon = new DockerDaemon(tls)) {
            String why = daemon.explain(new DockerApiException("handshake", new SSLHandshakeException("bad_certificate")));
            assertThat(why).isEqualTo("TLS connection refused (bad_certificate): check ca.pem, cert.pem and key.pem in "
                    + "/etc/dw/certs (our client certificate must be signed by the CA the daemon trusts)");
        }
    }
}
