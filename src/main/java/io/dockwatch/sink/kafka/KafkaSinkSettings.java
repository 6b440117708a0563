package io.dockwatch.sink.kafka;

import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsCheck;
import java.util.Map;

/** Start-up check of {@code dockwatch.sink.kafka.*}: only when the brokers are set (the sink is on). */
public final class KafkaSinkSettings implements SettingsCheck {
    @Override
    public void check(Settings s) {
        if (s.isSet(Settings.SINK_KAFKA_BROKERS)) {
            s.duration(Settings.SINK_KAFKA_DELIVERY_TIMEOUT);
            KafkaTopics.check(s.string(Settings.SINK_KAFKA_TOPIC));
        }
    }

    // "Just add the brokers": the sink's route starts when its address is set, as a setting or a component option
    @Override
    public void derive(Map<String, String> merged, ComponentOptions camel) {
        merged.put(Settings.SINK_KAFKA_ENABLED, String.valueOf(!merged.getOrDefault(Settings.SINK_KAFKA_BROKERS, "").isEmpty()
                || camel.isSet("kafka-sink", "brokers")));
    }
}
