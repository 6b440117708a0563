package io.dockwatch.source.daemonstats;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import java.time.Instant;

/** A daemon's {@code /info} and {@code /system/df} answers as one {@code daemon.stats} record. */
public final class DaemonStatsRecords {
    private DaemonStatsRecords() {
    }

    public static Record toRecord(JsonNode info, JsonNode df, String hostName, String endpoint, Instant when) {
        Record r = Record.of(Kind.DAEMON_STATS, when);
        r.put(Fields.HOST_NAME, hostName);
        r.put(Fields.HOST_ENDPOINT, endpoint);
        r.put(Fields.DOCKER_CONTAINERS_TOTAL, info.path("Containers").asLong());
        r.put(Fields.DOCKER_CONTAINERS_RUNNING, info.path("ContainersRunning").asLong());
        r.put(Fields.DOCKER_CONTAINERS_PAUSED, info.path("ContainersPaused").asLong());
        r.put(Fields.DOCKER_CONTAINERS_STOPPED, info.path("ContainersStopped").asLong());
        r.put(Fields.DOCKER_IMAGES_COUNT, info.path("Images").asLong());
        if (df != null) {
            r.put(Fields.DOCKER_DISK_LAYERS_BYTES, df.path("LayersSize").asLong());
            r.put(Fields.DOCKER_DISK_CONTAINERS_BYTES, sumNonNegative(df.path("Containers"), "SizeRw"));
            long volumes = 0;
            for (JsonNode v : df.path("Volumes")) {
                // -1 means "not computed" (a volume driver that cannot tell)
                volumes += Math.max(0, v.path("UsageData").path("Size").asLong());
            }
            r.put(Fields.DOCKER_DISK_VOLUMES_BYTES, volumes);
            r.put(Fields.DOCKER_DISK_BUILD_CACHE_BYTES, sumNonNegative(df.path("BuildCache"), "Size"));
        }
        return r;
    }

    private static long sumNonNegative(JsonNode list, String field) {
        long sum = 0;
        for (JsonNode n : list) {
            sum += Math.max(0, n.path(field).asLong());
        }
        return sum;
    }
}
