package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.RealDaemonTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Configuration records and drift, from the real daemon. */
class ConfigDriftIT extends RealDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String before = name("preexisting");
    private final String web = name("web");

    @Test
    void containersCreatedBeforeTheCollectorGetAConfigRecordWithSecretsRedacted() throws Exception {
        docker("run", "-d", "--name", before, "-e", "DB_PASSWORD=hunter2", "-e", "TZ=UTC", "--cap-add", "NET_ADMIN",
                "-m", "32m", TEST_IMAGE, "sleep", "300");
        try (Collector collector = new Collector(work).start()) {
            JsonNode config = collector.awaitRecords(kind("config").and(containerName(before)), 1, WAIT).get(0).path("config");

            assertThat(config.path("env").path("DB_PASSWORD").asText()).isEqualTo("<redacted>");
            assertThat(config.path("env").path("TZ").asText()).isEqualTo("UTC");
            assertThat(config.path("memory_limit_bytes").asLong()).isEqualTo(32L * 1024 * 1024);
            assertThat(config.path("cap_add")).extracting(JsonNode::asText).containsExactly("NET_ADMIN");
            assertThat(config.path("command")).extracting(JsonNode::asText).containsExactly("sleep", "300");
            assertThat(config.path("hash").asText()).hasSize(64);
            assertThat(collector.stop()).isZero();
            for (Path f : Files.list(collector.outputDir()).toList()) {
                assertThat(Files.readString(f)).doesNotContain("hunter2");
            }
        }
    }

    @Test
    void aNamedContainerRecreatedWithOtherLimitsAndEnvYieldsOneDriftRecord() {
        try (Collector collector = new Collector(work).start()) {
            docker("run", "-d", "--name", web, "-m", "64m", "-e", "MODE=blue", "-e", "API_TOKEN=a", TEST_IMAGE, "sleep", "300");
            collector.awaitRecords(kind("config").and(containerName(web)), 1, WAIT);
            String firstId = docker("inspect", "--format", "{{.Id}}", web);
            docker("rm", "-f", web);
            docker("run", "-d", "--name", web, "-m", "128m", "-e", "MODE=green", "-e", "API_TOKEN=b", TEST_IMAGE, "sleep", "300");

            JsonNode drift = collector.awaitRecords(kind("drift").and(containerName(web)), 1, WAIT).get(0);

            assertThat(drift.path("drift").path("workload").asText()).isEqualTo(web);
            assertThat(drift.path("drift").path("previous_container_id").asText()).isEqualTo(firstId);
            Map<String, JsonNode> changes = StreamSupport.stream(drift.path("drift").path("changes").spliterator(), false)
                    .collect(Collectors.toMap(c -> c.path("field").asText(), c -> c));
            assertThat(changes).containsOnlyKeys("memory_limit_bytes", "env.MODE", "env.API_TOKEN");
            assertThat(changes.get("memory_limit_bytes").path("before").asLong()).isEqualTo(64L * 1024 * 1024);
            assertThat(changes.get("memory_limit_bytes").path("after").asLong()).isEqualTo(128L * 1024 * 1024);
            // neither key is allow-listed: the change is reported, the values are not
            assertThat(changes.get("env.API_TOKEN").path("before").asText()).isEqualTo("<redacted>");
            assertThat(changes.get("env.API_TOKEN").path("after").asText()).isEqualTo("<redacted>");
            assertThat(collector.stop()).isZero();
        }
    }

    @Test
    void driftStateSurvivesACollectorRestart() {
        Collector collector = new Collector(work).with("dockwatch.config.env.allow", "PATH,MODE").start();
        try {
            docker("run", "-d", "--name", web, "-e", "MODE=blue", TEST_IMAGE, "sleep", "300");
            collector.awaitRecords(kind("config").and(containerName(web)), 1, WAIT);
            assertThat(collector.stop()).isZero();

            docker("rm", "-f", web);
            docker("run", "-d", "--name", web, "-e", "MODE=green", TEST_IMAGE, "sleep", "300");
            collector.start();

            JsonNode drift = collector.awaitRecords(kind("drift").and(containerName(web)), 1, WAIT).get(0);
            JsonNode change = drift.path("drift").path("changes").get(0);
            assertThat(change.path("field").asText()).isEqualTo("env.MODE");
            assertThat(change.path("before").asText()).isEqualTo("blue");
            assertThat(change.path("after").asText()).isEqualTo("green");
            List<JsonNode> drifts = collector.records(kind("drift").and(containerName(web)));
            assertThat(collector.stop()).isZero();
            assertThat(drifts).hasSize(1);
        } finally {
            collector.close();
        }
    }
}
