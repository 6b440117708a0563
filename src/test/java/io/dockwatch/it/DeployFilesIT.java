package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.ExtraDockerd;
import io.dockwatch.testing.FreePort;
import io.dockwatch.testing.Http;
import io.dockwatch.testing.LocalImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped deployment files, deployed as their comments tell users to, with the image built
 * locally: deploy/swarm-stack.yml with {@code docker stack deploy} on a single-node swarm, and
 * deploy/compose.yml with Debian's docker-compose. Both on a second dockerd, so the shared daemon
 * is never put into swarm mode and the collectors watch only this test's containers.
 *
 * <p>What the test machine lacks is supplied by an override file given beside the shipped one,
 * as a user would: the node's Docker socket and json-file logs folder (the second daemon's, mounted
 * where the shipped files mount /var/lib/docker/containers for the default daemon), and for the stack a local
 * tmpfs for the managers' shared cluster folder (no NFS server here) and the file sink switched
 * on (no Kafka reachable from the swarm's network), so records can be read back.
 */
class DeployFilesIT {
    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final String TOKEN = "deploy-files-it-token";
    private static final String STACK = "dwstack";
    private static ExtraDockerd node;
    private static String image;

    @TempDir
    Path work;

    @BeforeAll
    static void nodeWithTheImage() throws Exception {
        image = LocalImage.build();
        node = ExtraDockerd.start(); // assigned first: closed even if loading an image fails
        node.withTestImage().withImage(image);
    }

    @AfterAll
    static void removeNode() {
        if (node != null) {
            node.tryDocker("stack", "rm", STACK);
            node.close();
        }
    }

    @Test
    void theSwarmStackRunsHealthyTasksThatCollect() throws Exception {
        node.docker("swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", "127.0.0.1:" + FreePort.pick());
        run(Map.of(), "sh", "-c", "printf '%s\\n' " + TOKEN + " | docker -H " + node.unixUri()
                + " secret create dockwatch-http-token -");
        Path override = work.resolve("swarm-override.yml");
        Files.writeString(override, """
                version: "3.8"
                services:
                  manager-collector:
                    environment:
                      DOCKWATCH_SINK_FILE_ENABLED: "true"
                    volumes:
                      - %1$s:/var/run/docker.sock:ro
                      - %2$s:%2$s:ro
                  collector:
                    environment:
                      DOCKWATCH_SINK_FILE_ENABLED: "true"
                    volumes:
                      - %1$s:/var/run/docker.sock:ro
                      - %2$s:%2$s:ro
                volumes:
                  dockwatch-cluster:
                    driver_opts:
                      type: tmpfs
                      device: tmpfs
                      o: size=16m,uid=10001
                """.formatted(node.unixUri().getPath(), node.containersDir()));
        run(Map.of("KAFKA_BROKERS", "127.0.0.1:9", "NFS_SERVER", "unused-here", "DOCKWATCH_IMAGE", image),
                "docker", "-H", node.unixUri().toString(), "stack", "deploy", "--resolve-image", "never",
                "-c", deployFile("swarm-stack.yml").toString(), "-c", override.toString(), STACK);

        String service = STACK + "_manager-collector";
        try {
            await("a running task of " + service).atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> node.docker("service", "ps", service, "--filter", "desired-state=running",
                            "--format", "{{.CurrentState}}").startsWith("Running"));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no running task of " + service + "; its tasks:\n"
                    + node.tryDocker("service", "ps", "--no-trunc", service).stdout(), e);
        }
        String task = node.docker("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + service);
        assertThat(task).as("one task container").doesNotContain("\n").isNotEmpty();
        awaitHealthy(task);

        String printer = Docker.uniqueName("stack-printer");
        node.docker("run", "-d", "--network", "none", "--name", printer, TEST_IMAGE, "sh", "-c",
                "echo collected by the swarm stack; sleep 300");
        Path out = mountpoint(STACK + "_dockwatch-state").resolve("out");
        assertThat(awaitLines(out, printer)).containsExactly("collected by the swarm stack");
        // the stack's cap_add and read-only logs mount give the unprivileged collector the file path
        String status = node.docker("exec", task, "wget", "-q", "-O", "-", "--header", "Authorization: Bearer " + TOKEN,
                "http://127.0.0.1:9876/observe/status.json");
        assertThat(logsReadPath(status, node.docker("inspect", "-f", "{{.Id}}", printer).trim())).isEqualTo("file");

        // beyond loopback, the status and metrics ask for the token the Docker secret holds
        assertThat(node.tryDocker("exec", task, "wget", "-q", "-O", "-", "http://127.0.0.1:9876/observe/metrics")
                .exitCode()).as("metrics without the token").isNotZero();
        assertThat(node.docker("exec", task, "wget", "-q", "-O", "-", "--header", "Authorization: Bearer " + TOKEN,
                "http://127.0.0.1:9876/observe/metrics")).contains("dockwatch_uptime_seconds");
        node.docker("rm", "-f", printer);
    }

    @Test
    void theComposeFileRunsAHealthyCollector() throws Exception {
        int port = FreePort.pick();
        String project = "dwcompose" + Long.toString(System.nanoTime() % 100000, 36);
        Path override = work.resolve("compose-override.yml");
        Files.writeString(override, """
                services:
                  dockwatch:
                    volumes:
                      - %1$s:/var/run/docker.sock
                      - %2$s:%2$s:ro
                """.formatted(node.unixUri().getPath(), node.containersDir()));
        Map<String, String> env = Map.of("DOCKER_HOST", node.unixUri().toString(), "DOCKWATCH_HTTP_TOKEN", TOKEN,
                "DOCKWATCH_PORT", String.valueOf(port));
        List<String> compose = List.of("docker-compose", "-p", project, "-f", deployFile("compose.yml").toString(),
                "-f", override.toString());
        // the shipped file names dockwatch:local; here the locally built image is tagged so
        node.docker("tag", image, "dockwatch:local");
        try {
            run(env, concat(compose, "up", "-d"));
            String container = node.docker("ps", "-q", "--filter", "label=com.docker.compose.project=" + project);
            assertThat(container).as("one container").doesNotContain("\n").isNotEmpty();
            awaitHealthy(container);

            String printer = Docker.uniqueName("compose-printer");
            node.docker("run", "-d", "--network", "none", "--name", printer, TEST_IMAGE, "sh", "-c",
                    "echo collected by compose; sleep 300");
            Path out = mountpoint(project + "_dockwatch-data").resolve("out");
            assertThat(awaitLines(out, printer)).containsExactly("collected by compose");

            // published on the host's loopback, with the token
            String base = "http://127.0.0.1:" + port;
            // the compose file's cap_add and read-only logs mount give the unprivileged collector the file path
            String status = Http.get(base + "/observe/status.json?token=" + TOKEN).body();
            assertThat(logsReadPath(status, node.docker("inspect", "-f", "{{.Id}}", printer).trim())).isEqualTo("file");
            node.docker("rm", "-f", printer);
            assertThat(Http.get(base + "/observe/health/live").status()).isEqualTo(200);
            assertThat(Http.get(base + "/observe/metrics").status()).isEqualTo(401);
            assertThat(Http.get(base + "/observe/metrics?token=" + TOKEN).status()).isEqualTo(200);
        } finally {
            // on a loaded host dockerd can still be detaching the stopped container from the
            // project's network when compose removes it ("has active endpoints"): once more
            if (tryRun(env, concat(compose, "down", "-v", "-t", "15")) != 0) {
                Thread.sleep(5000);
                run(env, concat(compose, "down", "-v", "-t", "15"));
            }
        }
    }

    /** How the status page says a container's logs are read ("file" or "api"). */
    private static String logsReadPath(String statusJson, String containerId) throws IOException {
        for (JsonNode ct : Json.MAPPER.readTree(statusJson).path("containers")) {
            String shortId = ct.path("id").asText();
            if (!shortId.isEmpty() && containerId.startsWith(shortId)) {
                return ct.path("logs_read").asText();
            }
        }
        return "(not on the status page)";
    }

    private static void awaitHealthy(String container) {
        await("container " + container + " healthy").atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> node.docker("inspect", "--format", "{{.State.Health.Status}}", container).equals("healthy"));
    }

    private static List<String> awaitLines(Path out, String container) {
        await("records of " + container + " in " + out).atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> !lines(out, container).isEmpty());
        return lines(out, container);
    }

    private static List<String> lines(Path out, String container) {
        return Collector.readRecords(out).stream().filter(kind("log").and(containerName(container)))
                .map((JsonNode r) -> r.path("message").asText()).toList();
    }

    private static Path mountpoint(String volume) {
        return Path.of(node.docker("volume", "inspect", "--format", "{{.Mountpoint}}", volume));
    }

    private static Path deployFile(String name) {
        return Collector.jar().getParent().getParent().resolve("deploy").resolve(name);
    }

    private static String[] concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    private static int tryRun(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        return p.waitFor(180, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static String run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("%s finished", String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as("%s:\n%s", String.join(" ", cmd), output).isZero();
        return output;
    }
}
