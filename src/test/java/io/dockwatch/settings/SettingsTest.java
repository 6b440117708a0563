package io.dockwatch.settings;

import io.dockwatch.sink.file.NdjsonFileSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static final Properties DEFAULTS = props(
            "dockwatch.docker.hosts", "", "dockwatch.output.dir", "./dockwatch-out", "dockwatch.state.dir", "./s",
            "dockwatch.stats.interval", "10s", "dockwatch.host.proc", "/proc", "dockwatch.sink.file.enabled", "true",
            "dockwatch.sink.file.max.bytes", "64mb", "dockwatch.events.backlog", "none", "dockwatch.http.port", "9876",
            "dockwatch.routes", "");

    @Test
    void environmentOverridesDefaultsAndJvmPropertiesOverrideBoth() {
        Settings s = Settings.from(DEFAULTS, Map.of("DOCKWATCH_OUTPUT_DIR", "/from-env", "DOCKWATCH_STATS_INTERVAL", "5s"),
                props("dockwatch.stats.interval", "2s"));

        assertThat(s.string(Settings.OUTPUT_DIR)).isEqualTo("/from-env");
        assertThat(s.duration(Settings.STATS_INTERVAL)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void dockerHostsDefaultToDockerHostThenTheLocalSocket() {
        assertThat(Settings.from(DEFAULTS, Map.of(), new Properties()).dockerHosts())
                .extracting(Object::toString).containsExactly("unix:///var/run/docker.sock");
        assertThat(Settings.from(DEFAULTS, Map.of("DOCKER_HOST", "tcp://10.1.2.3:2376"), new Properties()).dockerHosts())
                .extracting(Object::toString).containsExactly("tcp://10.1.2.3:2376");
    }

    @Test
    void aBadValueIsOneLineNamingKeyValueAndWhatIsAllowed() {
        Settings s = Settings.from(DEFAULTS, Map.of(), props("dockwatch.stats.interval", "often"));

        assertThatThrownBy(s::validate).isInstanceOf(SettingsException.class)
                .hasMessage("Invalid setting dockwatch.stats.interval=often: allowed a positive duration such as 500ms, 10s, 1m, 2h or 7d");
    }

    @Test
    void badDockerHostAndBadChoiceAreRejected() {
        assertThatThrownBy(() -> Settings.from(DEFAULTS, Map.of(), props("dockwatch.docker.hosts", "http://x")).validate())
                .hasMessageContaining("dockwatch.docker.hosts=http://x").hasMessageContaining("unix:///");
        assertThatThrownBy(() -> Settings.from(DEFAULTS, Map.of(), props("dockwatch.events.backlog", "some")).validate())
                .hasMessage("Invalid setting dockwatch.events.backlog=some: allowed one of none, all");
    }

    @Test
    void environmentNamesAreUpperSnakeCase() {
        assertThat(Settings.envName("dockwatch.sink.http.url")).isEqualTo("DOCKWATCH_SINK_HTTP_URL");
    }

    @Test
    void jvmBeatsEnvironmentBeatsTheUsersFileBeatsTheBuiltInDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("application.properties");
        Files.writeString(file, String.join("\n",
                "dockwatch.output.dir=/from-file",
                "dockwatch.stats.interval=3s",
                "dockwatch.sink.file.gzip=true",
                "camel.main.name=from-file",
                "destination.url=http://from-file",
                ""));
        Map<String, String> env = Map.of("DOCKWATCH_STATS_INTERVAL", "4s", "DOCKWATCH_SINK_FILE_GZIP", "false",
                "CAMEL_MAIN_NAME", "from-env", "DESTINATION_URL", "http://from-env");
        Properties jvm = props("dockwatch.sink.file.gzip", "true", "camel.main.name", "from-jvm");

        Settings s = Settings.load(file, env, jvm);

        assertThat(s.string(Settings.OUTPUT_DIR)).as("file over built-in").isEqualTo("/from-file");
        assertThat(s.string(Settings.STATS_INTERVAL)).as("environment over file").isEqualTo("4s");
        assertThat(s.bool(NdjsonFileSettings.GZIP)).as("JVM over environment").isTrue();
        assertThat(s.string(NdjsonFileSettings.MAX_BYTES)).as("built-in where nothing else says").isEqualTo("64mb");
        // what Camel is given: the same order for its own keys and a recipe's placeholders
        assertThat(s.runtimeProperties()).containsEntry("camel.main.name", "from-jvm")
                .containsEntry("destination.url", "http://from-env")
                .containsEntry("camel.main.shutdown-timeout", "8")
                .containsEntry(Settings.OUTPUT_DIR, "/from-file");
    }

    @Test
    void noUserFileMeansTheBuiltInDefaults(@TempDir Path dir) {
        Settings s = Settings.load(dir.resolve("application.properties"), Map.of(), new Properties());
        assertThat(s.string(Settings.OUTPUT_DIR)).isEqualTo("./dockwatch-out");
    }

    @Test
    void aBrokenUserFileIsOneClearError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("application.properties");
        Files.writeString(file, "dockwatch.output.dir=\\uZZZZ\n");
        assertThatThrownBy(() -> Settings.load(file, Map.of(), new Properties()))
                .isInstanceOf(SettingsException.class).hasMessageContaining(file.toAbsolutePath().toString());
    }

    /**
     * A sink keeps its keys' built-in defaults in its own package; the shipped application.properties
     * documents the same keys for users, and must say the same values.
     */
    @Test
    void theSinksOwnDefaultsAgreeWithTheShippedFile() throws Exception {
        Properties shipped = new Properties();
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("application.properties"))) {
            shipped.load(in);
        }
        int compared = 0;
        for (SettingsCheck check : Settings.checks()) {
            for (Map.Entry<String, String> d : check.defaults().entrySet()) {
                if (shipped.containsKey(d.getKey())) {
                    assertThat(shipped.getProperty(d.getKey()).trim()).as(d.getKey()).isEqualTo(d.getValue());
                    compared++;
                }
            }
        }
        assertThat(compared).as("sink keys with a default in both places").isGreaterThanOrEqualTo(29);
    }
}
