package io.dockwatch.sink.kafka;

import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsCheck;
import java.util.Map;

/** Start-up check of {@code dockwatch.sink.kafka.*}: only when the brokers are set (the sink is on). */
public final class KafkaSinkSettings implements SettingsCheck {
    // the sink's dockwatch.* keys: they live here, with the sink, not in the global Settings
    public static final String BROKERS = "dockwatch.sink.kafka.brokers";
    /** Derived, never set by hand: true when {@link #BROKERS} is set (the route's {@code autoStartup}). */
    public static final String ENABLED = "dockwatch.sink.kafka.enabled";
    public static final String TOPIC = "dockwatch.sink.kafka.topic";
    public static final String DELIVERY_TIMEOUT = "dockwatch.sink.kafka.delivery.timeout";
    /** Prefix of settings handed to the Kafka producer as they are (security, compression...). */
    public static final String CLIENT_PREFIX = "dockwatch.sink.kafka.client.";

    /** Built-in defaults: what a key means when no application.properties sets it. */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry(BROKERS, ""),
            Map.entry(TOPIC, "dockwatch-{kind}"),
            Map.entry(DELIVERY_TIMEOUT, "2m"));

    @Override
    public Map<String, String> defaults() {
        return DEFAULTS;
    }

    @Override
    public void check(Settings s) {
        if (s.isSet(BROKERS)) {
            s.duration(DELIVERY_TIMEOUT);
            KafkaTopics.check(s.string(TOPIC));
        }
    }

    // "Just add the brokers": the sink's route starts when its address is set, as a setting or a component option
    @Override
    public void derive(Map<String, String> merged, ComponentOptions camel) {
        merged.put(ENABLED, String.valueOf(!merged.getOrDefault(BROKERS, "").isEmpty()
                || camel.isSet("kafka-sink", "brokers")));
    }
}
