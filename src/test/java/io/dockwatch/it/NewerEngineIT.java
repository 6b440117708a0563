package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.event;
import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.docker.ApiVersion;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.ExtraDockerd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The basics that depend on the API version, against Debian sid's newer engine (28.x, API 1.51;
 * the machine's own 20.10 speaks 1.41 and is what the other tests use): the collector negotiates
 * the daemon's version and sends every request with it, a container's lifecycle arrives as events
 * with their Action and Actor fields, its log lines exactly, and its configuration.
 */
class NewerEngineIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void eventsLogsAndConfigFromTheNewerEngineOverItsOwnApiVersion() {
        try (ExtraDockerd sid = ExtraDockerd.startSid();
                // logs through the API, whose stream format is what the version negotiation is about
                // (on its own host the collector would read the json-file logs directly)
                Collector collector = new Collector(work).with("dockwatch.docker.hosts", sid.unixUri().toString())
                        .with("dockwatch.logs.read", "api").start()) {
            sid.withTestImage();
            String[] version = sid.docker("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}").split(" ");
            ApiVersion daemonApi = ApiVersion.parse(version[1]);
            assertThat(daemonApi).as("sid's engine is the newer one").isGreaterThan(ApiVersion.parse("1.41"));
            ApiVersion spoken = ApiVersion.negotiate(daemonApi);
            assertThat(collector.logText()).containsPattern("Engine " + java.util.regex.Pattern.quote(version[0]) + ", API "
                    + java.util.regex.Pattern.quote(spoken.toString()) + "[;)]");

            String name = Docker.uniqueName("sid");
            sid.tryDocker("run", "--name", name, "-l", "team=payments", "-e", "DB_PASSWORD=hunter2", TEST_IMAGE,
                    "sh", "-c", "echo one; echo two >&2; echo three; exit 3");
            String id = sid.docker("inspect", "--format", "{{.Id}}", name);

            JsonNode start = collector.awaitRecords(event(name, "start"), 1, WAIT).get(0);
            JsonNode die = collector.awaitRecords(event(name, "die"), 1, WAIT).get(0);
            assertThat(start.path("event").path("type").asText()).isEqualTo("container");
            assertThat(start.path("event").path("actor_id").asText()).isEqualTo(id);
            assertThat(start.path("event").path("attributes").path("image").asText()).isEqualTo(TEST_IMAGE);
            assertThat(start.path("container").path("labels").path("team").asText()).isEqualTo("payments");
            assertThat(start.path("host").path("name").asText()).isEqualTo(sid.docker("info", "--format", "{{.Name}}"));
            assertThat(die.path("event").path("exit_code").asInt()).isEqualTo(3);
            assertThat(die.path("event").path("attributes").path("exitCode").asText()).isEqualTo("3");

            List<JsonNode> lines = collector.awaitRecords(kind("log").and(containerName(name)), 3, WAIT);
            assertThat(lines).extracting(r -> r.path("log").path("stream").asText() + ":" + r.path("message").asText())
                    .containsExactlyInAnyOrder("stdout:one", "stderr:two", "stdout:three");

            JsonNode config = collector.awaitRecords(kind("config").and(containerName(name)), 1, WAIT).get(0);
            assertThat(config.path("config").path("image").asText()).isEqualTo(TEST_IMAGE);
            assertThat(config.path("config").path("env").path("DB_PASSWORD").asText()).isEqualTo("<redacted>");
            assertThat(config.path("config").path("command").toString())
                    .isEqualTo("[\"sh\",\"-c\",\"echo one; echo two >&2; echo three; exit 3\"]");

            sid.docker("rm", name);
            collector.awaitRecords(event(name, "destroy"), 1, WAIT);
            assertThat(collector.records(kind("log").and(containerName(name)))).as("no line twice").hasSize(3);

            // the daemon's debug log names every request: the collector's carry the negotiated version
            String daemonLog = sid.log();
            // (engine 28: `msg="handling GET request" ... request-url="/v1.51/events?since=..."`)
            String requested = "request-url=\"?/v" + java.util.regex.Pattern.quote(spoken.toString());
            assertThat(daemonLog).containsPattern(requested + "/events")
                    .containsPattern(requested + "/containers/" + id + "/json")
                    .containsPattern(requested + "/containers/" + id + "/logs")
                    .doesNotContainPattern("request-url=\"?/(events|containers)");
            assertThat(collector.stop()).isZero();
        }
    }
}
