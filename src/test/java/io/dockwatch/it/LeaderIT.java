package io.dockwatch.it;

import static io.dockwatch.testing.Collector.kind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.ExtraDockerd;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two collectors attached to one swarm manager share a cluster folder: one is elected and records
 * the swarm-wide events; killed, the other takes over and resumes from the shared checkpoint.
 */
class LeaderIT {
    private static final Duration WAIT = Duration.ofSeconds(45);
    /** Lock renewal 1 s, three missed renewals, then the consumer's start: well within this. */
    private static final Duration TAKEOVER = Duration.ofSeconds(15);
    private static final String LEADERSHIP_TAKEN = "Leadership taken. Attempt #1 success";

    @TempDir
    Path work;
    private ExtraDockerd manager;

    @AfterEach
    void cleanUp() {
        if (manager != null) {
            manager.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Collector collector(String name) {
        return new Collector(work.resolve(name))
                .with("dockwatch.docker.hosts", manager.unixUri().toString())
                .with("dockwatch.swarm.events", "true")
                .with("dockwatch.cluster.dir", work.resolve("shared").toString());
    }

    /** Names of the swarm configs whose create event this collector recorded, in output order. */
    private static List<String> configsCreated(Collector c, String prefix) {
        return c.records(kind("event").and(r -> "config".equals(r.path("event").path("type").asText())
                && "create".equals(r.path("event").path("action").asText()))).stream()
                .map(r -> r.path("event").path("attributes").path("name").asText())
                .filter(n -> n.startsWith(prefix)).toList();
    }

    private static List<JsonNode> swarmScoped(Collector c) {
        return c.records(kind("event").and(r -> "swarm".equals(r.path("event").path("scope").asText())));
    }

    private List<String> createConfigs(String prefix, int from, int to) throws IOException {
        Path content = Files.writeString(work.resolve("content.txt"), "x");
        List<String> names = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            names.add(prefix + i);
            manager.docker("config", "create", prefix + i, content.toString());
        }
        return names;
    }

    private String sharedCheckpoint() throws IOException {
        Path dir = work.resolve("shared/checkpoints");
        if (!Files.isDirectory(dir)) {
            return "";
        }
        try (Stream<Path> files = Files.list(dir)) {
            StringBuilder sb = new StringBuilder();
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                sb.append(Files.readString(f));
            }
            return sb.toString();
        }
    }

    @Test
    void exactlyOneRecordsSwarmEventsAndAfterSigkillTheOtherTakesOverFromTheSharedCheckpoint() throws IOException {
        manager = ExtraDockerd.start();
        manager.docker("swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", "127.0.0.1:" + freePort());
        String prefix = Docker.uniqueName("cfg") + "-";

        try (Collector first = collector("first"); Collector second = collector("second")) {
            first.start();
            await("first collector elected").atMost(WAIT).until(() -> first.logText().contains(LEADERSHIP_TAKEN));
            second.start();

            List<String> before = createConfigs(prefix, 1, 5);
            await("first records the swarm events").atMost(WAIT)
                    .until(() -> configsCreated(first, prefix).size() == before.size());
            String lastId = manager.docker("config", "inspect", "--format", "{{.ID}}", before.get(before.size() - 1));
            await("shared checkpoint after the last durable event").atMost(WAIT)
                    .until(() -> sharedCheckpoint().contains(lastId));
            assertThat(swarmScoped(second)).as("the follower records no swarm event").isEmpty();
            assertThat(second.logText()).doesNotContain(LEADERSHIP_TAKEN);

            first.kill();
            long killedAt = System.nanoTime();
            List<String> after = createConfigs(prefix, 6, 10); // while nobody leads
            await("second takes over").atMost(TAKEOVER).until(() -> second.logText().contains(LEADERSHIP_TAKEN));
            Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
            await("second records what happened meanwhile").atMost(WAIT)
                    .until(() -> configsCreated(second, prefix).size() >= after.size());

            assertThat(configsCreated(first, prefix)).isEqualTo(before);
            assertThat(configsCreated(second, prefix)).as("resumed after the shared checkpoint: no loss, no repeat")
                    .isEqualTo(after);
            assertThat(second.logText()).contains("Swarm events of " + manager.unixUri() + " resume from the cluster checkpoint");
            assertThat(takeover).isLessThan(TAKEOVER);
            System.out.println("LeaderIT: takeover after SIGKILL in " + takeover.toMillis() + " ms");
            assertThat(second.stop()).isZero();
        }
    }
}
