package io.dockwatch.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.docker.DockerEndpoint;
import io.dockwatch.record.Json;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Metadata of destroyed containers is kept a while for late records, and bounded. */
class ContainerMetadataCacheBoundTest {
    private final DockerDaemon daemon = new DockerDaemon(DockerEndpoint.of(URI.create("unix:///nonexistent.sock"), Map.of()));

    private static JsonNode destroyEvent(String id) throws Exception {
        return Json.MAPPER.readTree("{\"Type\":\"container\",\"Action\":\"destroy\",\"Actor\":{\"ID\":\"" + id
                + "\",\"Attributes\":{\"name\":\"n-" + id + "\",\"image\":\"busybox\"}}}");
    }

    private static ContainerMetadata meta(String id) throws Exception {
        return ContainerMetadata.fromEventActor(Json.MAPPER.readTree("{\"ID\":\"" + id + "\",\"Attributes\":{\"name\":\"n-" + id + "\"}}"));
    }

    @Test
    void destroyedContainersLeaveAtMostTheLastFewEntriesEvenWhenAnInspectAnsweredAfterTheDestroy() throws Exception {
        ContainerMetadataCache cache = new ContainerMetadataCache();
        var listener = cache.listenerFor(daemon);
        for (int i = 0; i < 2000; i++) {
            String id = "c" + i;
            cache.put(daemon, meta(id));
            listener.onEvent(destroyEvent(id), null);
            cache.put(daemon, meta(id)); // the config source's inspect, answered just before the destroy
        }
        assertThat(cache.size()).isEqualTo(ContainerMetadataCache.MAX_DESTROYED_KEPT);
        assertThat(cache.peek(daemon, "c1999").name()).isEqualTo("n-c1999");
        assertThat(cache.peek(daemon, "c0")).isNull();
    }

    @Test
    void containersRemovedUnseenAreTreatedAsDestroyedAfterAFullListing() throws Exception {
        ContainerMetadataCache cache = new ContainerMetadataCache();
        for (int i = 0; i < 1000; i++) {
            cache.put(daemon, meta("c" + i));
        }
        cache.retainOnly(daemon, Set.of("c1", "c2"), System.nanoTime());
        assertThat(cache.size()).isEqualTo(2 + ContainerMetadataCache.MAX_DESTROYED_KEPT);
        assertThat(cache.peek(daemon, "c1")).isNotNull();
    }
}
