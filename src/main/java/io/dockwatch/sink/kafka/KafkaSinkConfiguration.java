package io.dockwatch.sink.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The Kafka sink's options, shared by the component ({@code camel.component.kafka-sink.*}, the
 * defaults of every endpoint) and each endpoint (the URI's query). An option left unset (null)
 * falls back to its {@code dockwatch.sink.kafka.*} setting.
 */
@UriParams
@Configurer
public class KafkaSinkConfiguration implements Cloneable {
    /**
     * Kafka bootstrap servers, comma-separated host:port. Setting them switches the shipped
     * sink-kafka route on. Setting: dockwatch.sink.kafka.brokers.
     */
    @UriParam(label = "common")
    private String brokers;
    /**
     * The topic of each record; {kind} becomes the record's kind with dots as dashes (host.stats
     * gives host-stats). Setting: dockwatch.sink.kafka.topic.
     */
    @UriParam(label = "common", defaultValue = "dockwatch-{kind}")
    private String topic;
    /**
     * How long the producer retries a record before the batch fails and is sent again from the
     * spool, such as 2m. Setting: dockwatch.sink.kafka.delivery.timeout.
     */
    @UriParam(label = "advanced", defaultValue = "2m")
    private String deliveryTimeout;
    /**
     * Kafka producer properties (security.protocol, compression.type, sasl.jaas.config...), as
     * additionalProperties.NAME=VALUE; they go on top of the settings dockwatch.sink.kafka.client.NAME.
     */
    @UriParam(label = "advanced", prefix = "additionalProperties.", multiValue = true)
    private Map<String, Object> additionalProperties = new LinkedHashMap<>();

    /** A copy for an endpoint, so its URI options do not change the component's. */
    public KafkaSinkConfiguration copy() {
        try {
            KafkaSinkConfiguration copy = (KafkaSinkConfiguration) clone();
            copy.additionalProperties = new LinkedHashMap<>(additionalProperties);
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getBrokers() {
        return brokers;
    }

    public void setBrokers(String brokers) {
        this.brokers = brokers;
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public String getDeliveryTimeout() {
        return deliveryTimeout;
    }

    public void setDeliveryTimeout(String deliveryTimeout) {
        this.deliveryTimeout = deliveryTimeout;
    }

    public Map<String, Object> getAdditionalProperties() {
        return additionalProperties;
    }

    public void setAdditionalProperties(Map<String, Object> additionalProperties) {
        this.additionalProperties = additionalProperties;
    }
}
