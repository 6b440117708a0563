package io.dockwatch.source.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Record;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * host.stats from a proc root laid out as a host's /proc mounted into a container would be: the
 * reader's own mounts and net/dev are the container's, PID 1's are the host's.
 */
class HostProcStatsTest {
    @TempDir
    Path proc;
    @TempDir
    Path hostRoot;

    private void write(String name, String content) throws IOException {
        Path p = proc.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private void layOut(String statFirstLine) throws IOException {
        write("stat", statFirstLine + "\ncpu0 1 0 1 1 0 0 0 0 0 0\ncpu1 1 0 1 1 0 0 0 0 0 0\nintr 1\nctxt 2\n");
        write("loadavg", "0.52 0.41 0.30 2/345 6789\n");
        write("meminfo", "MemTotal:       16318412 kB\nMemFree:         1023456 kB\nMemAvailable:    8123456 kB\n");
        // the container's own view: must not be used when PID 1's is readable
        write("mounts", "overlay / overlay rw 0 0\n");
        write("net/dev", "Inter-| Receive\n face |bytes\n  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n");
        write("1/mounts", String.join("\n",
                "proc /proc proc rw,relatime 0 0",
                "/dev/sda1 / ext4 rw,relatime 0 0",
                "/dev/sda1 /var/lib/docker ext4 rw,relatime 0 0",
                "tmpfs /run tmpfs rw 0 0",
                "overlay /var/lib/docker/overlay2/abc/merged overlay rw 0 0",
                "/dev/sdb1 /mnt/with\\040space ext4 rw 0 0",
                "/dev/sdc1 /not/mounted/here xfs rw 0 0", ""));
        write("1/net/dev", String.join("\n",
                "Inter-|   Receive                                                |  Transmit",
                " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
                "    lo:   61791     305    0    0    0     0          0         0    61791     305    0    0    0     0       0          0",
                "  eth0: 159150140 100 0 0 0 0 0 0 407339 50 0 0 0 0 0 0",
                "docker0: 100 1 0 0 0 0 0 0 200 2 0 0 0 0 0 0",
                "vethab12cd: 5 1 0 0 0 0 0 0 6 1 0 0 0 0 0 0", ""));
        Files.createDirectories(hostRoot.resolve("mnt/with space"));
    }

    @Test
    void recordHasCpuLoadMemoryFilesystemsAndInterfacesOfTheHost() throws IOException {
        layOut("cpu  100 0 100 800 0 0 0 0 0 0");
        ProcHostStats stats = new ProcHostStats(proc, hostRoot);
        ProcHostStats.CpuTimes before = stats.cpu();
        // 300 more jiffies, 150 of them busy (user 100 + system 50), 150 idle
        write("stat", "cpu  200 0 150 950 0 0 0 0 0 0\ncpu0 1\ncpu1 1\n");
        ProcHostStats.CpuTimes after = stats.cpu();
        Record r = stats.record(before, after, "node-1", Instant.parse("2026-11-27T03:00:00Z"));

        assertThat(r.kind()).isEqualTo("host.stats");
        assertThat(r.get("host.name").asText()).isEqualTo("node-1");
        assertThat(r.get("stats.cpu.percent").asDouble()).isEqualTo(50.0);
        assertThat(r.get("stats.cpu.count").asInt()).isEqualTo(2);
        assertThat(r.get("stats.load.1").asDouble()).isEqualTo(0.52);
        assertThat(r.get("stats.load.5").asDouble()).isEqualTo(0.41);
        assertThat(r.get("stats.load.15").asDouble()).isEqualTo(0.30);
        assertThat(r.get("stats.memory.total_bytes").asLong()).isEqualTo(16318412L * 1024);
        assertThat(r.get("stats.memory.available_bytes").asLong()).isEqualTo(8123456L * 1024);

        List<String> mounts = new ArrayList<>();
        r.get("stats.filesystem").forEach(f -> mounts.add(f.path("mount").asText()));
        // PID 1's mounts; pseudo file systems, a device's second mount and unreachable mounts left out
        assertThat(mounts).containsExactly("/", "/mnt/with space");
        JsonNode root = r.get("stats.filesystem").get(0);
        assertThat(root.path("total_bytes").asLong()).isEqualTo(Files.getFileStore(hostRoot).getTotalSpace());
        assertThat(root.path("used_bytes").asLong()).isPositive().isLessThanOrEqualTo(root.path("total_bytes").asLong());

        List<String> nics = new ArrayList<>();
        r.get("stats.network").forEach(n -> nics.add(n.path("interface").asText()));
        assertThat(nics).containsExactly("lo", "eth0", "docker0");
        JsonNode eth0 = r.get("stats.network").get(1);
        assertThat(eth0.path("rx_bytes").asLong()).isEqualTo(159150140L);
        assertThat(eth0.path("tx_bytes").asLong()).isEqualTo(407339L);
    }

    @Test
    void iowaitCountsAsIdle() throws IOException {
        layOut("cpu  0 0 0 0 0 0 0 0 0 0");
        ProcHostStats stats = new ProcHostStats(proc, hostRoot);
        ProcHostStats.CpuTimes before = stats.cpu();
        write("stat", "cpu  25 0 0 50 25 0 0 0 0 0\n");
        assertThat(ProcHostStats.cpuPercent(before, stats.cpu())).isEqualTo(25.0);
    }

    @Test
    void withoutPidOnesFilesTheReadersOwnAreUsed() throws IOException {
        layOut("cpu  1 0 1 1 0 0 0 0 0 0");
        Files.walk(proc.resolve("1")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        ProcHostStats stats = new ProcHostStats(proc, hostRoot);
        Record r = stats.record(null, stats.cpu(), "node-1", Instant.now());
        assertThat(r.get("stats.network").get(0).path("interface").asText()).isEqualTo("eth0");
        assertThat(r.has("stats.cpu.percent")).isFalse();
    }

    @Test
    void octalEscapesOfMountPointsAreDecoded() {
        assertThat(ProcHostStats.unescape("/mnt/a\\040b\\011c")).isEqualTo("/mnt/a b\tc");
        assertThat(ProcHostStats.unescape("/plain")).isEqualTo("/plain");
    }
}
