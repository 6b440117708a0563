package io.dockwatch.sink.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

public final class KafkaSinkEndpoint extends DefaultEndpoint {
    private final String brokers;
    private final KafkaTopics topics;
    private final Duration deliveryTimeout;
    private final Map<String, String> clientProperties;
    private final AtomicLong rejectedRecords = new AtomicLong();

    KafkaSinkEndpoint(String uri, KafkaSinkComponent component, String brokers, KafkaTopics topics,
            Duration deliveryTimeout, Map<String, String> clientProperties) {
        super(uri, component);
        this.brokers = brokers;
        this.topics = topics;
        this.deliveryTimeout = deliveryTimeout;
        this.clientProperties = clientProperties;
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
