package io.dockwatch.source.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.record.Record;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Stats answers as Docker sends them: cgroup v1 recorded from Docker 20.10 on this kind of machine
 * (a busy loop under {@code --cpus 0.5 -m 64m}, two one-shot answers 2 s apart, and the answer
 * for a stopped container); cgroup v2 shaped as Docker builds it from the v2 files.
 */
class StatsRecordsTest {
    private static final String HOST = "node-1";
    private static final String ENDPOINT = "unix:///var/run/docker.sock";

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = StatsRecordsTest.class.getResourceAsStream("/stats/" + name + ".json")) {
            return Json.MAPPER.readTree(in);
        }
    }

    private static Record record(String previous, String current) throws IOException {
        JsonNode cur = fixture(current);
        StatsRecords.Sample prev = previous == null ? null : StatsRecords.sample(fixture(previous));
        return StatsRecords.toRecord(cur, prev, HOST, ENDPOINT, cur.path("id").asText());
    }

    @Test
    void cgroupV1CpuPercentFromTwoOneShotAnswersMatchesTheCpuLimit() throws IOException {
        Record r = record("cgroup-v1-a", "cgroup-v1-b");
        // --cpus 0.5: a busy loop gets half a core
        assertThat(r.get("stats.cpu.percent").asDouble()).isCloseTo(50.0, within(1.0));
        assertThat(r.get("stats.cpu.throttled_periods").asLong()).isEqualTo(40);
        assertThat(r.get("stats.cpu.periods").asLong()).isEqualTo(41);
        assertThat(r.get("stats.cpu.throttled_time_ns").asLong()).isEqualTo(1_680_592_112L);
    }

    @Test
    void cgroupV1MemoryLimitUsageAndWorkingSet() throws IOException {
        Record a = record(null, "cgroup-v1-a");
        assertThat(a.get("stats.memory.limit_bytes").asLong()).isEqualTo(64L * 1024 * 1024);
        long usage = a.get("stats.memory.usage_bytes").asLong();
        assertThat(usage).isPositive();
        JsonNode raw = fixture("cgroup-v1-a").path("memory_stats").path("stats");
        assertThat(a.get("stats.memory.working_set_bytes").asLong())
                .isEqualTo(Math.max(0, usage - raw.path("total_inactive_file").asLong()));
    }

    @Test
    void cgroupV1RecordCarriesIdentityNetworkPidsAndDockersReadTime() throws IOException {
        Record r = record(null, "cgroup-v1-b");
        JsonNode raw = fixture("cgroup-v1-b");
        assertThat(r.kind()).isEqualTo("stats");
        assertThat(r.get("@timestamp").asText()).isEqualTo(raw.path("read").asText());
        assertThat(r.get("host.name").asText()).isEqualTo(HOST);
        assertThat(r.containerId()).isEqualTo(raw.path("id").asText());
        assertThat(r.get("stats.network.rx_bytes").asLong()).isEqualTo(736);
        assertThat(r.get("stats.network.tx_bytes").asLong()).isZero();
        assertThat(r.get("stats.pids.current").asLong()).isEqualTo(1);
        assertThat(r.get("stats.blkio.read_bytes").asLong()).isZero();
        // the first answer of a container has nothing to compare with
        assertThat(r.has("stats.cpu.percent")).isFalse();
    }

    @Test
    void cgroupV2FieldNamesGiveTheSameRecord() throws IOException {
        Record r = record("cgroup-v2-a", "cgroup-v2-b");
        // 0.25 s of CPU while 4 CPUs passed 10 s each: 2.5 % of one core
        assertThat(r.get("stats.cpu.percent").asDouble()).isCloseTo(2.5, within(0.01));
        assertThat(r.get("stats.cpu.throttled_periods").asLong()).isEqualTo(30);
        assertThat(r.get("stats.cpu.throttled_time_ns").asLong()).isEqualTo(1_500_000_000L);
        assertThat(r.get("stats.memory.usage_bytes").asLong()).isEqualTo(21_000_000);
        assertThat(r.get("stats.memory.working_set_bytes").asLong()).isEqualTo(21_000_000 - 6_500_000);
        assertThat(r.get("stats.memory.limit_bytes").asLong()).isEqualTo(134_217_728);
        // summed over eth0 and eth1
        assertThat(r.get("stats.network.rx_bytes").asLong()).isEqualTo(4000);
        assertThat(r.get("stats.network.tx_bytes").asLong()).isEqualTo(2000);
        // lower-case ops, summed over both devices
        assertThat(r.get("stats.blkio.read_bytes").asLong()).isEqualTo(1_048_576 + 4096);
        assertThat(r.get("stats.blkio.write_bytes").asLong()).isEqualTo(2_097_152);
        assertThat(r.get("stats.pids.current").asLong()).isEqualTo(3);
    }

    @Test
    void answerForAStoppedContainerIsNotARecord() throws IOException {
        assertThat(StatsRecords.isRunning(fixture("cgroup-v1-stopped"))).isFalse();
        assertThat(StatsRecords.isRunning(fixture("cgroup-v1-a"))).isTrue();
        assertThat(StatsRecords.isRunning(fixture("cgroup-v2-a"))).isTrue();
    }

    @Test
    void restartedContainerHasNoCpuPercentUntilItsNextAnswer() throws IOException {
        // counters going backwards mean the container began again
        StatsRecords.Sample later = StatsRecords.sample(fixture("cgroup-v1-b"));
        StatsRecords.Sample earlier = StatsRecords.sample(fixture("cgroup-v1-a"));
        assertThat(StatsRecords.cpuPercent(later, earlier)).isNull();
    }
}
