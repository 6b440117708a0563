package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.ExtraDockerd;
import io.dockwatch.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second real dockerd on 127.0.0.1 with {@code --tlsverify} and certificates made by openssl,
 * watched by one collector together with the machine's main daemon.
 */
class TlsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MAIN_ENDPOINT = "unix:///var/run/docker.sock";

    @TempDir
    static Path certDir;
    static TestCertificates certs;
    static ExtraDockerd remote;

    @TempDir
    Path work;
    private final String local = Docker.uniqueName("tls-local");

    @BeforeAll
    static void startTlsDaemon() {
        certs = TestCertificates.create(certDir);
        remote = ExtraDockerd.startWithTls(certs).withTestImage();
    }

    @AfterAll
    static void stopTlsDaemon() {
        if (remote != null) {
            remote.close();
        }
    }

    @AfterEach
    void cleanUp() {
        Docker.removeQuietly(local);
    }

    private static String tls(String endpoint, Path certPath) {
        return endpoint + "?tls_verify=true&cert_path=" + certPath;
    }

    private static Predicate<JsonNode> logLine(String name, String message) {
        return kind("log").and(containerName(name)).and(r -> message.equals(r.path("message").asText()));
    }

    @Test
    void recordsOfBothDaemonsCarryTheirIdentityAndAWrongCaIsRefusedWithOneLine() {
        String good = remote.tcpUri("127.0.0.1");
        // the same daemon under another name, with a client certificate from a CA it does not trust
        String refused = remote.tcpUri("localhost");
        String hosts = String.join(",", MAIN_ENDPOINT, tls(good, certs.client("collector")),
                tls(refused, certs.clientFromWrongCa("intruder")));
        try (Collector collector = new Collector(work).with("dockwatch.docker.hosts", hosts).start()) {
            String remote1 = Docker.uniqueName("tls-remote");
            String remote2 = Docker.uniqueName("tls-remote");
            docker("run", "--name", local, TEST_IMAGE, "echo", "hello from the main daemon");
            remote.docker("run", "--name", remote1, TEST_IMAGE, "echo", "hello over TLS");

            JsonNode localLine = collector.awaitRecords(logLine(local, "hello from the main daemon"), 1, WAIT).get(0);
            JsonNode remoteLine = collector.awaitRecords(logLine(remote1, "hello over TLS"), 1, WAIT).get(0);
            JsonNode remoteStart = collector.awaitRecords(
                    kind("event").and(containerName(remote1)).and(r -> r.path("event").path("action").asText().equals("start")),
                    1, WAIT).get(0);

            String mainId = docker("info", "--format", "{{.ID}}");
            assertThat(localLine.path("host").path("endpoint").asText()).isEqualTo(MAIN_ENDPOINT);
            assertThat(localLine.path("host").path("daemon_id").asText()).isEqualTo(mainId);
            assertThat(remoteLine.path("host").path("endpoint").asText()).isEqualTo(good);
            assertThat(remoteLine.path("host").path("daemon_id").asText()).isEqualTo(remote.id()).isNotEqualTo(mainId);
            assertThat(remoteLine.path("host").path("name").asText()).isEqualTo(remote.docker("info", "--format", "{{.Name}}"));
            assertThat(remoteStart.path("host").path("daemon_id").asText()).isEqualTo(remote.id());

            // the refused endpoint: one clear line, no records, and the others keep flowing
            org.awaitility.Awaitility.await("the refusal is logged").atMost(WAIT).until(() -> collector.logText()
                    .lines().anyMatch(l -> l.contains(refused) && l.contains("TLS connection refused")));
            String[] refusal = Arrays.stream(collector.logText().split("\n"))
                    .filter(l -> l.contains(refused) && l.contains("TLS connection refused")).toArray(String[]::new);
            assertThat(refusal).hasSize(1);
            assertThat(refusal[0]).contains("WARN").contains(certDir.resolve("intruder").toString());
            remote.docker("run", "--name", remote2, TEST_IMAGE, "echo", "still flowing");
            collector.awaitRecords(logLine(remote2, "still flowing"), 1, WAIT);
            assertThat(collector.records(r -> refused.equals(r.path("host").path("endpoint").asText()))).isEmpty();
            assertThat(Arrays.stream(collector.logText().split("\n"))
                    .filter(l -> l.contains(refused) && l.contains("TLS connection refused"))).hasSize(1);
            assertThat(collector.stop()).isZero();
        }
    }

    @Test
    void dockerTlsVerifyAndDockerCertPathApplyToAHostWithoutOptions() {
        String good = remote.tcpUri("127.0.0.1");
        try (Collector collector = new Collector(work).with("dockwatch.docker.hosts", good)
                .withEnv("DOCKER_TLS_VERIFY", "1").withEnv("DOCKER_CERT_PATH", certs.client("from-env").toString())
                .start()) {
            String name = Docker.uniqueName("tls-env");
            remote.docker("run", "--name", name, TEST_IMAGE, "echo", "certificates from the environment");
            JsonNode line = collector.awaitRecords(logLine(name, "certificates from the environment"), 1, WAIT).get(0);
            assertThat(line.path("host").path("endpoint").asText()).isEqualTo(good);
            assertThat(line.path("host").path("daemon_id").asText()).isEqualTo(remote.id());
            assertThat(collector.stop()).isZero();
        }
    }
}
