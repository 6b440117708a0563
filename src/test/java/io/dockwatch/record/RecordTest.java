package io.dockwatch.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.enrich.ContainerMetadata;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordTest {
    private static final ContainerMetadata WEB = new ContainerMetadata("abc123", "web", "nginx:1.27",
            Map.of("com.docker.compose.project", "shop", "com.docker.compose.service", "web", "tier", "front \"end\""));

    @Test
    void aCompactLogLineWritesTheSameJsonAsItsTree() throws Exception {
        Record compact = Record.logLine("2026-11-27T03:00:00.000000001Z", "host-1", "unix:///var/run/docker.sock",
                "abc123", "GET / 200 \u00e9\u0001", "stderr");
        compact.enrich(WEB);
        String fast = new String(compact.toJsonBytes(), java.nio.charset.StandardCharsets.UTF_8);

        Record same = Record.logLine("2026-11-27T03:00:00.000000001Z", "host-1", "unix:///var/run/docker.sock",
                "abc123", "GET / 200 \u00e9\u0001", "stderr");
        same.enrich(WEB);
        JsonNode tree = same.node(); // builds the tree form

        assertThat(Json.MAPPER.readTree(fast)).isEqualTo(tree);
        assertThat(fast).startsWith("{\"@timestamp\":\"2026-11-27T03:00:00.000000001Z\",\"kind\":\"log\"");
        assertThat(tree.path("compose").path("service").asText()).isEqualTo("web");
        assertThat(tree.path("container").path("labels").path("tier").asText()).isEqualTo("front \"end\"");
        assertThat(tree.path("log").path("stream").asText()).isEqualTo("stderr");
    }

    @Test
    void dottedNamesAreNestedObjects() {
        Record r = Record.of(Kind.EVENT, java.time.Instant.EPOCH).put("event.type", "container").put("event.exit_code", 3);
        assertThat(r.node().toString())
                .isEqualTo("{\"@timestamp\":\"1970-01-01T00:00:00Z\",\"kind\":\"event\",\"event\":{\"type\":\"container\",\"exit_code\":3}}");
        assertThat(r.has("event.exit_code")).isTrue();
        assertThat(r.has("event.nothing")).isFalse();
    }
}
