package io.dockwatch.source.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import java.io.InputStream;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Config records and drift from a recorded inspect answer (Engine 20.10). */
class ConfigSnapshotTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private static final Predicate<String> ALLOW = ConfigSnapshot.allowList(List.of("PATH", "TZ", "LC_*"));

    private static ObjectNode inspect() throws Exception {
        try (InputStream in = ConfigSnapshotTest.class.getResourceAsStream("/docker-api/engine-20.10/inspect-fx.json")) {
            return (ObjectNode) Json.MAPPER.readTree(in);
        }
    }

    @Test
    void showsRunParametersAndRedactsEnvValuesNotAllowListed() throws Exception {
        ConfigSnapshot snap = ConfigSnapshot.of(inspect(), ALLOW, KEY);
        JsonNode c = snap.shown();

        assertThat(c.path("image").asText()).isEqualTo("dockwatch-test/busybox");
        assertThat(c.path("command")).extracting(JsonNode::asText).containsExactly("sleep", "300");
        assertThat(c.path("env").path("SECRET").asText()).isEqualTo("<redacted>");
        assertThat(c.path("env").path("TZ").asText()).isEqualTo("UTC");
        assertThat(c.path("memory_limit_bytes").asLong()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.path("cap_add")).extracting(JsonNode::asText).containsExactly("NET_ADMIN");
        assertThat(c.path("ports").get(0).path("host_port").asText()).isEqualTo("8081");
        assertThat(c.path("mounts").get(0).path("destination").asText()).isEqualTo("/data");
        assertThat(c.path("mounts").get(0).path("read_write").asBoolean()).isFalse();
        assertThat(c.toString()).doesNotContain("hunter2");
        assertThat(snap.comparable().toString()).doesNotContain("hunter2");
    }

    @Test
    void hashIsStableWhileNothingChangesAndMovesWithASecret() throws Exception {
        ObjectNode a = inspect();
        ObjectNode b = inspect();
        assertThat(ConfigSnapshot.of(a, ALLOW, KEY).hash()).isEqualTo(ConfigSnapshot.of(b, ALLOW, KEY).hash());

        ArrayNode env = (ArrayNode) b.path("Config").path("Env");
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).asText().startsWith("SECRET=")) {
                env.set(i, Json.NODES.textNode("SECRET=swordfish"));
            }
        }
        ConfigSnapshot before = ConfigSnapshot.of(a, ALLOW, KEY);
        ConfigSnapshot after = ConfigSnapshot.of(b, ALLOW, KEY);
        assertThat(after.hash()).isNotEqualTo(before.hash());

        ArrayNode changes = DriftDetector.changes(DriftDetector.state("old", before), after);
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).path("field").asText()).isEqualTo("env.SECRET");
        assertThat(changes.get(0).path("after").asText()).isEqualTo("<redacted>");
    }

    @Test
    void driftListsEveryChangedFieldWithBeforeAndAfter() throws Exception {
        ObjectNode a = inspect();
        ObjectNode b = inspect();
        ((ObjectNode) b.path("HostConfig")).put("Memory", 128L * 1024 * 1024);
        ((ObjectNode) b.path("HostConfig")).put("Privileged", true);
        ((ArrayNode) b.path("Config").path("Env")).add("LC_ALL=C");

        ArrayNode changes = DriftDetector.changes(DriftDetector.state("old", ConfigSnapshot.of(a, ALLOW, KEY)),
                ConfigSnapshot.of(b, ALLOW, KEY));

        assertThat(changes).extracting(n -> n.path("field").asText())
                .containsExactlyInAnyOrder("memory_limit_bytes", "privileged", "env.LC_ALL");
        JsonNode mem = changes.findParents("field").stream()
                .filter(n -> n.path("field").asText().equals("memory_limit_bytes")).findFirst().orElseThrow();
        assertThat(mem.path("before").asLong()).isEqualTo(64L * 1024 * 1024);
        assertThat(mem.path("after").asLong()).isEqualTo(128L * 1024 * 1024);
    }

    @Test
    void noDriftWithoutAPreviousConfiguration() throws Exception {
        assertThat(DriftDetector.changes(null, ConfigSnapshot.of(inspect(), ALLOW, KEY))).isEmpty();
    }
}
