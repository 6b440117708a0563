package io.dockwatch.sink.kafka;

import io.dockwatch.spool.RecordBatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a spool batch to Kafka and returns only when the brokers acknowledged every record of it
 * (acks=all); otherwise it throws, the spool keeps its cursor and offers the same batch again.
 *
 * <p>Why kafka-clients and not camel-kafka: camel-kafka reports one outcome for a whole list body,
 * so after a batch fails half-way (the broker went away after taking some records), the retry would
 * send the acknowledged half twice. Here every record's future is kept: the acknowledged ones are
 * remembered and skipped when the spool offers the same batch again. Within one outage the
 * idempotent producer (enable.idempotence) retries records itself without duplicating them, so a
 * batch fails only after {@code dockwatch.sink.kafka.delivery.timeout}.
 */
final class KafkaSinkProducer extends DefaultProducer {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSinkProducer.class);
    /** How long a batch may wait for acknowledgements before that is said (once per outage). */
    private static final long SLOW_NOTICE_MS = 10_000;
    private static final long LINGER_MS = 5;
    private static final int BATCH_BYTES = 256 * 1024;
    private static final long BUFFER_BYTES = 8L * 1024 * 1024;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    /** How often a wait for acknowledgements looks whether the collector is stopping. */
    private static final long POLL_MS = 100;
    /** How long acknowledgements may still come once the collector stops. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final String brokers;
    private final KafkaTopics topics;
    private final Duration deliveryTimeout;
    private final Map<String, String> clientProperties;
    private KafkaProducer<byte[], byte[]> producer;
    private PartlySent partlySent;
    private boolean waitingNoticed;

    /** A batch that failed after some of its records were acknowledged: those are not sent again. */
    private record PartlySent(byte[] first, byte[] last, int size, BitSet acknowledged) {
        boolean isRetryOf(List<byte[]> lines) {
            // the spool offers a failed batch again from the same cursor: the same lines, maybe more
            return lines.size() >= size && Arrays.equals(first, lines.get(0)) && Arrays.equals(last, lines.get(size - 1));
        }
    }

    KafkaSinkProducer(KafkaSinkEndpoint endpoint, String brokers, KafkaTopics topics, Duration deliveryTimeout,
            Map<String, String> clientProperties) {
        super(endpoint);
        this.brokers = brokers;
        this.topics = topics;
        this.deliveryTimeout = deliveryTimeout;
        this.clientProperties = clientProperties;
    }

    /**
     * Made at the first batch, not at start: Camel warms up (starts the producers of) routes whose
     * autoStartup is false too, and the sink-kafka route is there, switched off, when no brokers are set.
     */
    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            if (brokers == null || brokers.isBlank()) {
                throw new IllegalArgumentException("The Kafka sink needs brokers: set dockwatch.sink.kafka.brokers "
                        + "or write them in the URI, kafka-sink:dockwatch?brokers=host:9092");
            }
            producer = new KafkaProducer<>(config(), new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    Map<String, Object> config() {
        Map<String, Object> c = new HashMap<>(clientProperties);
        long delivery = deliveryTimeout.toMillis();
        // Kafka insists on delivery.timeout >= linger + request.timeout
        long request = Math.min(30_000, Math.max(1_000, delivery / 2));
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        c.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(LINGER_MS));
        // a spool batch is up to a megabyte: larger producer batches mean far fewer requests
        c.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(BATCH_BYTES));
        // one spool batch (about a megabyte) is in flight at a time, and the collector runs in a
        // 64 MiB heap (jvm.options): the client's 32 MiB default buffer would be most of it
        c.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(BUFFER_BYTES));
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(request));
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(delivery, request + LINGER_MS)));
        // send() itself waits this long for a topic's metadata (a kind first seen while the brokers are
        // away): bounded like delivery, so the batch fails and is retried rather than hanging a minute
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(Math.min(60_000, delivery)));
        // the contract of this sink, not tunables: what Kafka acknowledged is on every in-sync replica,
        // and the producer's own retries never write a record twice
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        c.put(ProducerConfig.RETRIES_CONFIG, String.valueOf(Integer.MAX_VALUE));
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        return c;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        List<byte[]> lines = exchange.getMessage().getMandatoryBody(RecordBatch.class).lines();
        if (lines.isEmpty()) {
            return;
        }
        BitSet acknowledged = partlySent != null && partlySent.isRetryOf(lines)
                ? (BitSet) partlySent.acknowledged().clone() : new BitSet(lines.size());
        partlySent = null;
        List<Future<RecordMetadata>> futures = new ArrayList<>(lines.size());
        Throwable failure = null;
        for (int i = 0; i < lines.size(); i++) {
            if (acknowledged.get(i)) {
                futures.add(null);
                continue;
            }
            try {
                futures.add(producer().send(toProducerRecord(lines.get(i))));
            } catch (RecordTooLargeException e) {
                futures.add(null);
                rejectTooLarge(lines.get(i).length, acknowledged, i);
            } catch (RuntimeException e) {
                // e.g. no metadata within max.block.ms: what was sent so far is still awaited below
                failure = e;
                break;
            }
        }
        long started = System.currentTimeMillis();
        for (int i = 0; i < futures.size(); i++) {
            Future<RecordMetadata> f = futures.get(i);
            if (f == null) {
                continue;
            }
            try {
                awaitAcknowledgement(f, started);
                acknowledged.set(i);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RecordTooLargeException) {
                    rejectTooLarge(lines.get(i).length, acknowledged, i);
                } else {
                    failure = failure != null ? failure : e.getCause();
                }
            }
        }
        if (failure != null || acknowledged.cardinality() < lines.size()) {
            if (!acknowledged.isEmpty()) {
                partlySent = new PartlySent(lines.get(0), lines.get(lines.size() - 1), lines.size(), acknowledged);
            }
            throw new KafkaSinkException("Kafka did not acknowledge " + (lines.size() - acknowledged.cardinality())
                    + " of " + lines.size() + " records (" + brokers + ")", failure);
        }
        if (waitingNoticed) {
            LOG.info("Kafka sink: brokers {} acknowledge again", brokers);
            waitingNoticed = false;
        }
    }

    /**
     * A record larger than the brokers take (max.request.size, message.max.bytes) would fail its batch
     * for ever and stop the sink: it is left out, counted, and said once. Every other error fails
     * the batch, which is retried, since those pass (brokers away, leader elections) or need an
     * operator (authorisation), and dropping records then would lose them silently.
     */
    private void rejectTooLarge(int bytes, BitSet done, int index) {
        done.set(index);
        long n = ((KafkaSinkEndpoint) getEndpoint()).countRejected();
        if (n == 1) {
            LOG.warn("Kafka sink: a record of {} bytes is larger than the brokers accept (max.request.size, "
                    + "message.max.bytes); left out and counted, further ones are counted, not logged", bytes);
        }
    }

    private void awaitAcknowledgement(Future<RecordMetadata> f, long started) throws Exception {
        long stopNoticed = 0;
        while (true) {
            try {
                f.get(POLL_MS, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException stillWaiting) {
                if (stopping()) {
                    // the collector must exit within its bound (CONTRACT.md); what is not acknowledged
                    // by then stays in the spool for the next start
                    stopNoticed = stopNoticed == 0 ? System.nanoTime() : stopNoticed;
                    if (System.nanoTime() - stopNoticed > STOP_GRACE.toNanos()) {
                        throw new InterruptedException("Collector stopping while " + brokers
                                + " do not acknowledge; the batch stays in the spool");
                    }
                }
                if (!waitingNoticed && System.currentTimeMillis() - started > SLOW_NOTICE_MS) {
                    LOG.warn("Kafka sink: no acknowledgement from {} for {} s, still trying (records stay in the spool)",
                            brokers, SLOW_NOTICE_MS / 1000);
                    waitingNoticed = true;
                }
            }
        }
    }

    private boolean stopping() {
        org.apache.camel.CamelContext camel = getEndpoint().getCamelContext();
        return camel.isStopping() || camel.isStopped() || isStoppingOrStopped();
    }

    private ProducerRecord<byte[], byte[]> toProducerRecord(byte[] line) throws java.io.IOException {
        KafkaRecordKeys.Keys keys = KafkaRecordKeys.of(line);
        byte[] key = keys.containerId() == null ? null : keys.containerId().getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topics.topicFor(keys.kind()), key, line);
        r.headers().add(KafkaSinkConstants.KIND_HEADER, keys.kind().getBytes(StandardCharsets.UTF_8));
        return r;
    }

    @Override
    protected void doStop() throws Exception {
        if (producer != null) {
            // what is not acknowledged by now comes again from the spool at the next start
            producer.close(CLOSE_TIMEOUT);
            producer = null;
        }
        partlySent = null;
        super.doStop();
    }

    /** A batch Kafka did not fully acknowledge; the spool retries it. */
    static final class KafkaSinkException extends Exception {
        KafkaSinkException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
