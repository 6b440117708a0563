package io.dockwatch.it;

import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.settings.Settings;
import io.dockwatch.testing.Collector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** host.stats and daemon.stats of this machine, checked against /proc and the Docker CLI. */
class HostStatsIT {
    private static final Path PROC = Path.of("/proc");

    @TempDir
    Path work;

    private static long meminfoBytes(String key) throws Exception {
        for (String line : Files.readAllLines(PROC.resolve("meminfo"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.split("\\s+")[1]) * 1024;
            }
        }
        throw new AssertionError(key + " not in /proc/meminfo");
    }

    private static Map<String, Long> rxBytesByInterface() throws Exception {
        Path netDev = Files.isReadable(PROC.resolve("1/net/dev")) ? PROC.resolve("1/net/dev") : PROC.resolve("net/dev");
        Map<String, Long> rx = new HashMap<>();
        for (String line : Files.readAllLines(netDev)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                rx.put(line.substring(0, colon).trim(), Long.parseLong(line.substring(colon + 1).trim().split("\\s+")[0]));
            }
        }
        return rx;
    }

    @Test
    void hostStatsAgreeWithProcAndDaemonStatsWithTheDaemon() throws Exception {
        try (Collector collector = new Collector(work).with(Settings.STATS_INTERVAL, "1s")) {
            collector.start();
            List<JsonNode> hostStats = collector.awaitRecords(kind("host.stats"), 2, Duration.ofSeconds(30));
            JsonNode stats = hostStats.get(hostStats.size() - 1).path("stats");

            assertThat(stats.path("memory").path("total_bytes").asLong()).isEqualTo(meminfoBytes("MemTotal"));
            assertThat(stats.path("memory").path("available_bytes").asLong())
                    .isBetween((long) (meminfoBytes("MemAvailable") * 0.8), (long) (meminfoBytes("MemAvailable") * 1.2));
            long cpus = Files.readAllLines(PROC.resolve("stat")).stream().filter(l -> l.matches("cpu\\d+ .*")).count();
            assertThat(stats.path("cpu").path("count").asLong()).isEqualTo(cpus);
            assertThat(stats.path("cpu").path("percent").asDouble()).isBetween(0.0, 100.0);
            double load1 = Double.parseDouble(Files.readString(PROC.resolve("loadavg")).split(" ")[0]);
            assertThat(stats.path("load").path("1").asDouble()).isBetween(load1 - 2.0, load1 + 2.0);

            JsonNode root = null;
            for (JsonNode fs : stats.path("filesystem")) {
                if ("/".equals(fs.path("mount").asText())) {
                    root = fs;
                }
            }
            assertThat(root).as("the root file system in %s", stats.path("filesystem")).isNotNull();
            assertThat(root.path("total_bytes").asLong()).isEqualTo(Files.getFileStore(Path.of("/")).getTotalSpace());
            assertThat(root.path("used_bytes").asLong()).isPositive();

            Map<String, Long> rxNow = rxBytesByInterface();
            assertThat(stats.path("network").findValuesAsText("interface")).contains("lo");
            for (JsonNode nic : stats.path("network")) {
                String name = nic.path("interface").asText();
                assertThat(name).doesNotStartWith("veth");
                if (rxNow.containsKey(name)) { // interfaces of other tests' networks come and go
                    assertThat(nic.path("rx_bytes").asLong()).isLessThanOrEqualTo(rxNow.get(name));
                }
            }
            assertThat(hostStats.get(0).path("host").path("name").asText()).isEqualTo(docker("info", "--format", "{{.Name}}"));

            JsonNode daemon = collector.awaitRecords(kind("daemon.stats"), 1, Duration.ofSeconds(30)).get(0);
            assertThat(daemon.path("host").path("name").asText()).isEqualTo(docker("info", "--format", "{{.Name}}"));
            JsonNode containers = daemon.path("docker").path("containers");
            assertThat(containers.path("total").asLong()).isEqualTo(containers.path("running").asLong()
                    + containers.path("paused").asLong() + containers.path("stopped").asLong());
            assertThat(daemon.path("docker").path("images").path("count").asLong()).isPositive();
            assertThat(daemon.path("docker").path("disk").path("layers_bytes").asLong()).isPositive();
            assertThat(collector.stop()).isZero();
        }
    }
}
