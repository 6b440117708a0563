package io.dockwatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar reads the user's application.properties from its working directory, for dockwatch's
 * settings and Camel's alike, under the environment and JVM properties and over its built-in
 * defaults.
 */
class SettingsFileIT {
    @TempDir
    Path work;
    private Collector collector;

    @AfterEach
    void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void theJarReadsApplicationPropertiesFromItsWorkingDirectoryUnderEnvironmentAndJvm() throws Exception {
        Path fromFile = work.resolve("out-from-file");
        Path routes = Files.createDirectories(work.resolve("my-routes"));
        // a user's route whose sink name is a placeholder of its own: what Camel resolved shows in the metrics
        Files.writeString(routes.resolve("probe.camel.yaml"), String.join("\n",
                "- route:",
                "    id: host-stats",
                "    from:",
                "      uri: host-stats:proc",
                "      steps:",
                "        - to: spool:records",
                "- route:",
                "    id: sink-probe",
                "    startupOrder: 1",
                "    from:",
                "      uri: \"spool:records?sink={{probe.sink}}\"",
                "      steps:",
                "        - to: \"ndjson-file:{{dockwatch.output.dir}}\"",
                ""));
        Files.writeString(work.resolve("application.properties"), String.join("\n",
                "# only the lines that differ from the built-in defaults",
                "dockwatch.routes=my-routes",
                "dockwatch.output.dir=" + fromFile,
                "dockwatch.stats.interval=1s",
                "probe.sink=from-file",
                ""));
        collector = new Collector(work.resolve("collector")).without("dockwatch.output.dir").inDirectory(work)
                .withEnv("PROBE_SINK", "from-env") // environment over the file
                .withEnv("DOCKWATCH_STATS_INTERVAL", "1s")
                .with("dockwatch.stats.interval", "3s") // JVM over environment and file
                .start();

        await("host stats in the file's output dir").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> hostStatsTimes(fromFile).size() >= 3);
        List<Instant> times = hostStatsTimes(fromFile);
        for (int i = 1; i < times.size(); i++) {
            assertThat(Duration.between(times.get(i - 1), times.get(i))).as("stats period: the JVM property's 3s")
                    .isGreaterThan(Duration.ofMillis(2500));
        }
        assertThat(work.resolve("dockwatch-out")).as("not the built-in ./dockwatch-out").doesNotExist();
        assertThat(Http.get(collector.baseUrl() + "/observe/metrics").body())
                .as("the route's placeholder: the environment's value, over the file's")
                .containsPattern("dockwatch_sink_records_total\\{sink=\"from-env\"} [1-9]")
                .doesNotContain("from-file");
        assertThat(collector.stop()).isZero();
    }

    private static List<Instant> hostStatsTimes(Path dir) {
        return Collector.readRecords(dir).stream().filter(Collector.kind("host.stats"))
                .map(r -> Instant.parse(r.path("@timestamp").asText())).sorted().toList();
    }
}
