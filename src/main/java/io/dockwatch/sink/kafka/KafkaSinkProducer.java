package io.dockwatch.sink.kafka;

import io.dockwatch.sink.StopAwareWait;
import io.dockwatch.observe.SinkStats;
import io.dockwatch.spool.RecordBatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
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
 * (acks=all), so the spool's cursor moves only past what Kafka has.
 *
 * <pre>
 *   batch ─► send every record not yet acknowledged ─► await each future ─┬─ all acknowledged: return
 *                 ▲                                                       └─ some not: wait (backoff), again
 *                 └───────────────────────────────────────────────────────────────┘
 * </pre>
 *
 * <p>Each record's future is kept, and a retry sends only the records Kafka did not acknowledge, so
 * a batch cut short by a broker going away never repeats its first half. Within an outage the
 * idempotent producer (enable.idempotence) retries on its own without duplicating; a record comes
 * back here only after {@code dockwatch.sink.kafka.delivery.timeout}. The batch is retried as long
 * as the outage lasts, and given up only when the collector stops: then it throws, and the spool
 * keeps the batch for the next start.
 *
 * <p>Why kafka-clients and not camel-kafka: camel-kafka reports one outcome for a whole list body,
 * so it cannot tell which records of a failed batch Kafka already has.
 */
final class KafkaSinkProducer extends DefaultProducer {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSinkProducer.class);
    /** How long a batch may wait for acknowledgements before that is said (once per outage). */
    private static final long SLOW_NOTICE_MS = 10_000;
    private static final long LINGER_MS = 5;
    private static final int BATCH_BYTES = 256 * 1024;
    private static final long BUFFER_BYTES = 8L * 1024 * 1024;
    /** send() waits at most this for a topic's metadata; the retry loop covers longer outages. */
    private static final long MAX_BLOCK_MS = 2_000;
    /** How often a wait looks whether the collector is stopping. */
    private static final long POLL_MS = 100;
    /** How long acknowledgements may still come once the collector stops. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    private static final long RETRY_INITIAL_MS = 200;
    private static final long RETRY_MAX_MS = 10_000;

    private final String brokers;
    private final KafkaTopics topics;
    private final Duration deliveryTimeout;
    private final Map<String, String> clientProperties;
    private KafkaProducer<byte[], byte[]> producer;
    private boolean troubled;

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
        // send() itself waits for a topic's metadata (a kind first seen while the brokers are away);
        // short, so a stop is not held up: the retry loop below waits out longer outages
        c.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(MAX_BLOCK_MS));
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
        if (troubled && stopping()) {
            // the spool drains what it holds while the collector stops, but not into an outage
            throw new InterruptedException("Collector stopping while " + brokers
                    + " do not acknowledge; the batch stays in the spool");
        }
        List<byte[]> lines = exchange.getMessage().getMandatoryBody(RecordBatch.class).lines();
        // the sink route's stats: health and the status page see an outage this loop waits out
        SinkStats stats = exchange.getProperty(SinkStats.PROPERTY, SinkStats.class);
        BitSet done = new BitSet(lines.size());
        long backoffMs = RETRY_INITIAL_MS;
        while (true) {
            Throwable failure = sendPending(lines, done);
            if (done.cardinality() == lines.size()) {
                if (troubled) {
                    LOG.info("Kafka sink: brokers {} acknowledge again", brokers);
                    troubled = false;
                }
                if (stats != null) {
                    stats.fine();
                }
                return;
            }
            if (!troubled) {
                LOG.warn("Kafka sink: {} of {} records not acknowledged by {} ({}); retrying with backoff, "
                        + "records stay in the spool", lines.size() - done.cardinality(), lines.size(), brokers,
                        String.valueOf(failure));
                troubled = true;
            }
            if (stats != null) {
                stats.trouble(lines.size() - done.cardinality() + " records not acknowledged by " + brokers + " ("
                        + failure + ")");
            }
            pause(backoffMs);
            backoffMs = Math.min(RETRY_MAX_MS, backoffMs * 2);
        }
    }

    /** Sends the records not yet done and waits for each; marks what Kafka acknowledged (or refused for good). */
    private Throwable sendPending(List<byte[]> lines, BitSet done) throws Exception {
        List<Future<RecordMetadata>> futures = new ArrayList<>(lines.size());
        Throwable failure = null;
        for (int i = 0; i < lines.size(); i++) {
            if (done.get(i)) {
                futures.add(null);
                continue;
            }
            try {
                futures.add(producer().send(toProducerRecord(lines.get(i))));
            } catch (RecordTooLargeException e) {
                futures.add(null);
                rejectTooLarge(lines.get(i).length, done, i);
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                throw new InterruptedException("Interrupted while sending to Kafka; the batch stays in the spool");
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
                done.set(i);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RecordTooLargeException) {
                    rejectTooLarge(lines.get(i).length, done, i);
                } else {
                    failure = failure != null ? failure : e.getCause();
                }
            }
        }
        return failure;
    }

    /**
     * A record larger than the brokers take (max.request.size, message.max.bytes) would fail its batch
     * for ever and stop the sink: it is left out, counted, and said once. Every other error is
     * retried, since those pass (brokers away, leader elections) or need an operator
     * (authorisation), and dropping records then would lose them silently.
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
                if (!troubled && System.currentTimeMillis() - started > SLOW_NOTICE_MS) {
                    LOG.warn("Kafka sink: no acknowledgement from {} for {} s, still trying (records stay in the spool)",
                            brokers, SLOW_NOTICE_MS / 1000);
                    troubled = true;
                }
            }
        }
    }

    /** Waits before the next attempt, with jitter, but not past a stop. */
    private void pause(long ms) throws InterruptedException {
        StopAwareWait.pause(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1), getEndpoint().getCamelContext(), this,
                "Collector stopping while " + brokers + " do not acknowledge; the batch stays in the spool");
    }

    private boolean stopping() {
        return StopAwareWait.stopping(getEndpoint().getCamelContext(), this);
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
            // nothing acknowledged is pending (process waits for every record), and what is not
            // acknowledged comes again from the spool at the next start: no reason to wait
            producer.close(Duration.ZERO);
            producer = null;
        }
        super.doStop();
    }
}
