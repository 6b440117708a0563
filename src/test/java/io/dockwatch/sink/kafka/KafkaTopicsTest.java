package io.dockwatch.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dockwatch.settings.SettingsException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KafkaTopicsTest {
    @Test
    void defaultTemplateGivesOneTopicPerKindWithDotsAsDashes() {
        KafkaTopics topics = new KafkaTopics("");
        assertThat(topics.topicFor("event")).isEqualTo("dockwatch-event");
        assertThat(topics.topicFor("host.stats")).isEqualTo("dockwatch-host-stats");
        assertThat(topics.topicFor("daemon.log")).isEqualTo("dockwatch-daemon-log");
    }

    @Test
    void templateWithoutKindSendsEverythingToOneTopic() {
        assertThat(new KafkaTopics("docker.all").topicFor("log")).isEqualTo("docker.all");
        assertThat(new KafkaTopics("prod_{kind}_v1").topicFor("host.log")).isEqualTo("prod_host-log_v1");
    }

    @Test
    void illegalTopicNameFailsWithTheSettingNamed() {
        assertThatThrownBy(() -> KafkaTopics.check("dock watch/{kind}")).isInstanceOf(SettingsException.class)
                .hasMessageContaining("dockwatch.sink.kafka.topic=dock watch/{kind}").hasMessageContaining("allowed");
        KafkaTopics.check("dockwatch-{kind}");
    }

    @Test
    void keyIsTheContainerIdAndAbsentOnHostRecords() throws Exception {
        KafkaRecordKeys.Keys container = KafkaRecordKeys.of(bytes(
                "{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"kind\":\"log\",\"message\":\"{\\\"id\\\":\\\"x\\\"}\","
                        + "\"container\":{\"name\":\"web\",\"labels\":{\"id\":\"no\"},\"id\":\"abc123\"}}"));
        assertThat(container).isEqualTo(new KafkaRecordKeys.Keys("log", "abc123"));
        KafkaRecordKeys.Keys host = KafkaRecordKeys.of(bytes(
                "{\"kind\":\"host.stats\",\"host\":{\"name\":\"vm\"},\"stats\":{\"load\":{\"1\":0.5}}}"));
        assertThat(host).isEqualTo(new KafkaRecordKeys.Keys("host.stats", null));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
