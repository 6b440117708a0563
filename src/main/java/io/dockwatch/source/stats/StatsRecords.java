package io.dockwatch.source.stats;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Json;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * One-shot answers of {@code /containers/{id}/stats} as {@code stats} records, for cgroup v1 and
 * v2 alike: Docker already maps both onto one shape, and only two names differ (the inactive file
 * cache is {@code total_inactive_file} on v1 and {@code inactive_file} on v2; block I/O ops are
 * {@code Read}/{@code Write} on v1 and {@code read}/{@code write} on v2).
 *
 * <p>A one-shot answer carries no {@code precpu_stats}, so CPU percent comes from this answer and
 * the previous one of the same container ({@link Sample}), with {@code docker stats}' formula:
 * 100 is one full core.
 */
public final class StatsRecords {
    /** What Docker answers for a container that stopped between the list and the stats call. */
    private static final String ZERO_TIME_PREFIX = "0001-01-01";
    private static final double PERCENT = 100.0;

    /** The CPU counters of one answer, kept for the next answer's CPU percent. */
    public record Sample(Instant read, long containerCpuNs, long systemCpuNs, int onlineCpus) {
    }

    private StatsRecords() {
    }

    /** False for the all-zero answer Docker gives for a container that is not running. */
    public static boolean isRunning(JsonNode stats) {
        String read = stats.path("read").asText("");
        return !read.isEmpty() && !read.startsWith(ZERO_TIME_PREFIX) && stats.path("memory_stats").size() > 0;
    }

    public static Sample sample(JsonNode stats) {
        JsonNode cpu = stats.path("cpu_stats");
        int online = cpu.path("online_cpus").asInt(0);
        if (online <= 0) {
            // API < 1.27 has no online_cpus: Docker's CLI falls back to the per-CPU list
            online = Math.max(1, cpu.path("cpu_usage").path("percpu_usage").size());
        }
        return new Sample(readTime(stats), cpu.path("cpu_usage").path("total_usage").asLong(),
                cpu.path("system_cpu_usage").asLong(0), online);
    }

    /** CPU percent between two samples, 100 = one core; null when it cannot be told (counters reset). */
    public static Double cpuPercent(Sample previous, Sample current) {
        long cpuDelta = current.containerCpuNs() - previous.containerCpuNs();
        if (cpuDelta < 0) {
            return null; // the container restarted: its counters began again
        }
        long systemDelta = current.systemCpuNs() - previous.systemCpuNs();
        if (systemDelta > 0) {
            return (double) cpuDelta / systemDelta * current.onlineCpus() * PERCENT;
        }
        // no host CPU counter (some rootless and Windows daemons): use the time between the answers
        long wallNs = java.time.Duration.between(previous.read(), current.read()).toNanos();
        return wallNs > 0 ? (double) cpuDelta / wallNs * PERCENT : null;
    }

    /**
     * The record of one answer. {@code previous} is the container's last sample (null for the first
     * answer, which then has no CPU percent).
     */
    public static Record toRecord(JsonNode stats, Sample previous, String hostName, String endpoint, String containerId) {
        Sample current = sample(stats);
        Record r = Record.of(Kind.STATS, current.read());
        r.put(Fields.HOST_NAME, hostName);
        r.put(Fields.HOST_ENDPOINT, endpoint);
        r.put(Fields.CONTAINER_ID, containerId);

        JsonNode cpu = stats.path("cpu_stats");
        if (previous != null) {
            Double percent = cpuPercent(previous, current);
            if (percent != null) {
                r.put(Fields.STATS_CPU_PERCENT, Json.NODES.numberNode(round2(percent)));
            }
        }
        r.put(Fields.STATS_CPU_USAGE_NS, current.containerCpuNs());
        JsonNode throttling = cpu.path("throttling_data");
        r.put(Fields.STATS_CPU_PERIODS, throttling.path("periods").asLong());
        r.put(Fields.STATS_CPU_THROTTLED_PERIODS, throttling.path("throttled_periods").asLong());
        r.put(Fields.STATS_CPU_THROTTLED_TIME_NS, throttling.path("throttled_time").asLong());

        JsonNode memory = stats.path("memory_stats");
        long usage = memory.path("usage").asLong();
        r.put(Fields.STATS_MEMORY_USAGE_BYTES, usage);
        if (memory.has("limit")) {
            r.put(Fields.STATS_MEMORY_LIMIT_BYTES, memory.path("limit").asLong());
        }
        JsonNode memoryStats = memory.path("stats");
        // v1 reports the hierarchy's total; v2 has only the cgroup's own (which is hierarchical there)
        long inactiveFile = memoryStats.has("total_inactive_file") ? memoryStats.path("total_inactive_file").asLong()
                : memoryStats.path("inactive_file").asLong();
        r.put(Fields.STATS_MEMORY_WORKING_SET_BYTES, Math.max(0, usage - inactiveFile));

        JsonNode networks = stats.path("networks");
        if (networks.isObject()) {
            long rx = 0;
            long tx = 0;
            for (JsonNode nic : networks) {
                rx += nic.path("rx_bytes").asLong();
                tx += nic.path("tx_bytes").asLong();
            }
            r.put(Fields.STATS_NETWORK_RX_BYTES, rx);
            r.put(Fields.STATS_NETWORK_TX_BYTES, tx);
        }

        long read = 0;
        long write = 0;
        for (JsonNode entry : stats.path("blkio_stats").path("io_service_bytes_recursive")) {
            switch (entry.path("op").asText().toLowerCase(Locale.ROOT)) {
                case "read" -> read += entry.path("value").asLong();
                case "write" -> write += entry.path("value").asLong();
                default -> {
                    // Sync, Async, Discard and Total would count the same bytes twice
                }
            }
        }
        r.put(Fields.STATS_BLKIO_READ_BYTES, read);
        r.put(Fields.STATS_BLKIO_WRITE_BYTES, write);

        JsonNode pids = stats.path("pids_stats").path("current");
        if (!pids.isMissingNode()) {
            r.put(Fields.STATS_PIDS_CURRENT, pids.asLong());
        }
        return r;
    }

    private static Instant readTime(JsonNode stats) {
        try {
            return Instant.parse(stats.path("read").asText());
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }

    private static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
