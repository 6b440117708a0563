package io.dockwatch.it;

import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.ExtraDockerd;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collector attached to a swarm manager: the second dockerd of these tests, put into swarm mode
 * (the main daemon, shared with other tests, never is).
 */
class SwarmIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SERVICE_SPOOL_ROUTES = """
            - beans:
                - name: containerEnricher
                  type: io.dockwatch.enrich.ContainerEnricher
            - route:
                id: events
                from:
                  uri: docker-events:all
                  steps:
                    - to: spool:records
            - route:
                id: logs
                from:
                  uri: docker-logs:all
                  steps:
                    - process:
                        ref: containerEnricher
                    - to: spool:records
            # service logs to a destination of their own, so they are told apart from container logs
            - route:
                id: service-logs
                from:
                  uri: master:dockwatch-swarm:docker-service-logs:all
                  steps:
                    - process:
                        ref: containerEnricher
                    - to: spool:service
            - route:
                id: sink-file
                startupOrder: 1
                from:
                  uri: spool:records?sink=file
                  steps:
                    - to: "ndjson-file:{{dockwatch.output.dir}}"
            - route:
                id: sink-service-file
                startupOrder: 2
                from:
                  uri: spool:service?sink=file
                  steps:
                    - to: "ndjson-file:{{dockwatch.output.dir}}/../service-out"
            """;

    @TempDir
    Path work;
    private ExtraDockerd manager;

    @AfterEach
    void cleanUp() {
        if (manager != null) {
            manager.close(); // leaves the swarm, removes services' containers, stops the daemon
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Predicate<JsonNode> swarmEvent(String type, String action) {
        return kind("event").and(r -> type.equals(r.path("event").path("type").asText())
                && action.equals(r.path("event").path("action").asText()));
    }

    /** Service log lines "n=<i>" per task, in output order. */
    private static Map<String, List<Integer>> numbersByTask(List<JsonNode> records) {
        return records.stream().filter(r -> r.path("message").asText().startsWith("n="))
                .collect(Collectors.groupingBy(r -> r.path("swarm").path("task").path("id").asText(), TreeMap::new,
                        Collectors.mapping(r -> Integer.parseInt(r.path("message").asText().substring(2)), Collectors.toList())));
    }

    @Test
    void swarmEventsTaskIdentityAndServiceLogsThroughTheManagerWithoutLossOrRepeatAcrossSigkill() throws IOException {
        manager = ExtraDockerd.start().withTestImage();
        Path routes = Files.createDirectories(work.resolve("routes"));
        Files.writeString(routes.resolve("swarm.camel.yaml"), SERVICE_SPOOL_ROUTES);
        Path serviceOut = work.resolve("service-out");
        String service = Docker.uniqueName("svc");
        String secret = Docker.uniqueName("secret");
        String config = Docker.uniqueName("config");
        Path content = Files.writeString(work.resolve("content.txt"), "not really secret");

        Collector collector = new Collector(work).with("dockwatch.docker.hosts", manager.unixUri().toString())
                .with("dockwatch.routes", routes.toString());
        try (collector) {
            collector.start();
            manager.docker("swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", "127.0.0.1:" + freePort());
            String nodeId = manager.docker("info", "--format", "{{.Swarm.NodeID}}");
            manager.docker("secret", "create", secret, content.toString());
            manager.docker("config", "create", config, content.toString());
            manager.docker("service", "create", "--detach", "--no-resolve-image", "--name", service, "--replicas", "2",
                    TEST_IMAGE, "sh", "-c", "i=0; while true; do i=$((i+1)); echo n=$i; sleep 0.1; done");

            // swarm objects' events, through the events source
            collector.awaitRecords(swarmEvent("node", "update"), 1, WAIT);
            JsonNode created = collector.awaitRecords(swarmEvent("service", "create")
                    .and(r -> service.equals(r.path("event").path("attributes").path("name").asText())), 1, WAIT).get(0);
            collector.awaitRecords(swarmEvent("secret", "create")
                    .and(r -> secret.equals(r.path("event").path("attributes").path("name").asText())), 1, WAIT);
            collector.awaitRecords(swarmEvent("config", "create")
                    .and(r -> config.equals(r.path("event").path("attributes").path("name").asText())), 1, WAIT);
            assertThat(created.path("event").path("scope").asText()).isEqualTo("swarm");

            // the tasks' containers: their own log records carry the swarm fields
            JsonNode taskLine = collector.awaitRecords(kind("log")
                    .and(r -> service.equals(r.path("swarm").path("service").path("name").asText())), 1, WAIT).get(0);
            String taskContainer = taskLine.path("container").path("id").asText();
            assertThat(taskLine.path("swarm").path("node").path("id").asText()).isEqualTo(nodeId);
            assertThat(taskLine.path("swarm").path("task").path("id").asText()).isEqualTo(manager.docker("inspect",
                    "--format", "{{index .Config.Labels \"com.docker.swarm.task.id\"}}", taskContainer));

            // service logs through the manager, checkpointed per task: kill the collector mid-stream
            Awaitility.await("service log lines").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                Map<String, List<Integer>> n = numbersByTask(Collector.readRecords(serviceOut, true));
                return n.size() == 2 && n.values().stream().allMatch(l -> l.size() >= 20);
            });
            collector.kill();
            int beforeKill = numbersByTask(Collector.readRecords(serviceOut, true)).values().stream()
                    .mapToInt(l -> l.get(l.size() - 1)).max().orElseThrow();
            collector.start();
            Awaitility.await("service log lines after the restart").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> numbersByTask(Collector.readRecords(serviceOut, true)).values().stream()
                            .allMatch(l -> l.get(l.size() - 1) > beforeKill + 30));
            assertThat(collector.stop()).isZero();
        }

        List<JsonNode> serviceLogs = Collector.readRecords(serviceOut);
        Map<String, List<Integer>> byTask = numbersByTask(serviceLogs);
        assertThat(byTask).hasSize(2);
        byTask.forEach((task, numbers) -> assertThat(numbers).as("lines of task %s, each once and in order", task)
                .isEqualTo(IntStream.rangeClosed(1, numbers.size()).boxed().toList()));
        JsonNode one = serviceLogs.get(0);
        assertThat(one.path("kind").asText()).isEqualTo("log");
        assertThat(one.path("swarm").path("service").path("name").asText()).isEqualTo(service);
        assertThat(one.path("host").path("daemon_id").asText()).isEqualTo(manager.id());
        String task = one.path("swarm").path("task").path("id").asText();
        assertThat(one.path("container").path("id").asText()).isEqualTo(manager.docker("ps", "-aq", "--no-trunc",
                "--filter", "label=com.docker.swarm.task.id=" + task));
        assertThat(one.path("container").path("name").asText()).startsWith(service + ".").endsWith("." + task);
    }
}
