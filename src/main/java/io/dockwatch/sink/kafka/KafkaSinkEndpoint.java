package io.dockwatch.sink.kafka;

import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.AfterPropertiesConfigured;
import org.apache.camel.CamelContext;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Delivers the spool's records to Kafka, one topic per record kind, keyed by container id; a
 * batch's cursor moves only when the brokers acknowledged every record of it.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "kafka-sink", title = "dockwatch Kafka sink",
        syntax = "kafka-sink:clientId", producerOnly = true, remote = true,
        category = { Category.MONITORING, Category.MESSAGING })
public final class KafkaSinkEndpoint extends DefaultEndpoint implements AfterPropertiesConfigured {
    /** The producer's client.id, naming it to the brokers. */
    @UriPath(defaultValue = "dockwatch")
    @Metadata(required = false)
    private final String clientId;
    @UriParam
    private KafkaSinkConfiguration configuration;
    private final Settings settings;
    private String brokers;
    private KafkaTopics topics;
    private Duration deliveryTimeout;
    private Map<String, String> clientProperties;
    private final AtomicLong rejectedRecords = new AtomicLong();

    KafkaSinkEndpoint(String uri, KafkaSinkComponent component, String clientId, KafkaSinkConfiguration configuration,
            Settings settings) {
        super(uri, component);
        this.clientId = clientId;
        this.configuration = configuration;
        this.settings = settings;
    }

    /** Options bound: read with the settings' rules now, so a bad one fails start-up with one line. */
    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        KafkaSinkConfiguration o = configuration;
        OptionAliases aliases = OptionAliases.of("kafka-sink", settings)
                .option(KafkaSinkSettings.BROKERS, "brokers", o.getBrokers())
                .option(KafkaSinkSettings.TOPIC, "topic", o.getTopic())
                .option(KafkaSinkSettings.DELIVERY_TIMEOUT, "deliveryTimeout", o.getDeliveryTimeout());
        try {
            Settings s = aliases.settings();
            brokers = s.string(KafkaSinkSettings.BROKERS);
            String topic = s.string(KafkaSinkSettings.TOPIC);
            KafkaTopics.check(topic);
            topics = new KafkaTopics(topic);
            deliveryTimeout = s.isSet(KafkaSinkSettings.DELIVERY_TIMEOUT)
                    ? s.duration(KafkaSinkSettings.DELIVERY_TIMEOUT) : Duration.ofMinutes(2);
        } catch (SettingsException e) {
            throw aliases.explain(e);
        }
        Map<String, String> client = new LinkedHashMap<>(settings.withPrefix(KafkaSinkSettings.CLIENT_PREFIX));
        o.getAdditionalProperties().forEach((k, v) -> client.put(k, String.valueOf(v)));
        client.put("client.id", clientId);
        clientProperties = client;
    }

    /** The Kafka producer properties as resolved: the settings', then the options', then client.id. */
    Map<String, String> clientProperties() {
        return clientProperties;
    }

    public String getClientId() {
        return clientId;
    }

    public KafkaSinkConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(KafkaSinkConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new KafkaSinkProducer(this, brokers, topics, deliveryTimeout, clientProperties);
    }

    /** Records Kafka would never take (larger than the brokers accept), left out (metrics). */
    public long rejectedRecords() {
        return rejectedRecords.get();
    }

    long countRejected() {
        return rejectedRecords.incrementAndGet();
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("kafka-sink is a sink: use it in to:, not from:");
    }
}
