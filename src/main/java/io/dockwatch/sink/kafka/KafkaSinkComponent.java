package io.dockwatch.sink.kafka;

import io.dockwatch.settings.Settings;
import io.dockwatch.wiring.ServiceBeans;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code kafka-sink:CLIENT_ID[?brokers=host:9092,...&topic=dockwatch-{kind}&deliveryTimeout=2m]} —
 * records to Kafka, one topic per kind, keyed by container id. CLIENT_ID names the producer to the
 * brokers; options left out come from the {@code dockwatch.sink.kafka.*} settings, so the default
 * route is just {@code kafka-sink:dockwatch}.
 */
public final class KafkaSinkComponent extends DefaultComponent {
    @Metadata(label = "advanced", autowired = true,
            description = "The collector's settings, whose dockwatch.* keys give the options left out (bean dockwatchSettings)")
    private Settings settings;

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        settings = ServiceBeans.resolve(getCamelContext(), settings, Settings.class);
    }

    public Settings getSettings() {
        return settings;
    }

    public void setSettings(Settings settings) {
        this.settings = settings;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String brokers = getAndRemoveParameter(parameters, "brokers", String.class,
                settings.string(Settings.SINK_KAFKA_BROKERS));
        String topic = getAndRemoveParameter(parameters, "topic", String.class,
                settings.string(Settings.SINK_KAFKA_TOPIC));
        KafkaTopics.check(topic);
        String timeout = getAndRemoveParameter(parameters, "deliveryTimeout", String.class,
                settings.string(Settings.SINK_KAFKA_DELIVERY_TIMEOUT));
        Duration deliveryTimeout = single(Settings.SINK_KAFKA_DELIVERY_TIMEOUT, timeout.isEmpty() ? "2m" : timeout)
                .duration(Settings.SINK_KAFKA_DELIVERY_TIMEOUT);
        Map<String, String> client = new LinkedHashMap<>(settings.withPrefix(Settings.SINK_KAFKA_CLIENT_PREFIX));
        client.put("client.id", remaining.isBlank() ? "dockwatch" : remaining);
        return new KafkaSinkEndpoint(uri, this, brokers, new KafkaTopics(topic), deliveryTimeout, client);
    }

    /** One setting parsed with the settings' own rules, so a bad URI option fails like a bad setting. */
    private static Settings single(String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        return Settings.from(p, Map.of(), new Properties());
    }
}
