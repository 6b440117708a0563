package io.dockwatch.source.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import org.junit.jupiter.api.Test;

/** Which events carry a context: the ones an operator needs explained. */
class EventsExplainTest {
    private static JsonNode event(String type, String action, String exitCode) throws Exception {
        return Json.MAPPER.readTree("{\"Type\":\"" + type + "\",\"Action\":\"" + action + "\",\"Actor\":{\"ID\":\"c1\","
                + "\"Attributes\":{" + (exitCode == null ? "" : "\"exitCode\":\"" + exitCode + "\"") + "}}}");
    }

    @Test
    void failuresAreExplainedAndOrdinaryEventsAreNot() throws Exception {
        assertThat(EventsConsumer.explains(event("container", "die", "7"))).isTrue();
        assertThat(EventsConsumer.explains(event("container", "oom", null))).isTrue();
        assertThat(EventsConsumer.explains(event("container", "kill", null))).isTrue();
        assertThat(EventsConsumer.explains(event("container", "health_status: unhealthy", null))).isTrue();

        assertThat(EventsConsumer.explains(event("container", "die", "0"))).isFalse();
        assertThat(EventsConsumer.explains(event("container", "health_status: healthy", null))).isFalse();
        assertThat(EventsConsumer.explains(event("container", "start", null))).isFalse();
        assertThat(EventsConsumer.explains(event("network", "kill", null))).isFalse();
    }
}
