package io.dockwatch.sink.kafka;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.event;
import static io.dockwatch.testing.Collector.kind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka sink against a real KRaft broker that goes away three times while containers keep
 * starting and stopping: for longer than the sink's delivery timeout while the collector runs;
 * while the collector is killed (SIGKILL) with undelivered batches in its spool and started again;
 * and while the collector is stopped (SIGTERM, which must still end within 10 s) and started again.
 * Afterwards Kafka holds exactly what the NDJSON file sink wrote from the same spool, every record once.
 */
class KafkaDeliveryIT {
    private static final Duration OUTAGE = Duration.ofSeconds(15);
    private static final String DELIVERY_TIMEOUT = "6s";
    private static final int LINES_PER_CONTAINER = 20;

    @TempDir
    Path tmp;
    private final List<String> containers = new ArrayList<>();
    private KafkaBroker broker;
    private Collector collector;

    @AfterEach
    void cleanUp() {
        Docker.removeQuietly(containers.toArray(String[]::new));
        if (collector != null) {
            collector.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyRecordArrivesOnceAfterTheBrokerWasAway() throws Exception {
        broker = new KafkaBroker(tmp.resolve("kafka")).start();
        collector = new Collector(tmp.resolve("collector"))
                .with("dockwatch.sink.kafka.brokers", broker.bootstrapServers())
                .with("dockwatch.sink.kafka.delivery.timeout", DELIVERY_TIMEOUT)
                // logs of this test's containers only: the daemon is shared with other tests
                .with("dockwatch.containers.include", "dwt-kafka-*")
                .start();

        List<String> before = runContainers("before", 3);
        collector.awaitRecords(event(before.get(2), "die"), 1, Duration.ofSeconds(30));

        broker.stop();
        long outageStarted = System.nanoTime();
        List<String> during = new ArrayList<>();
        while (System.nanoTime() - outageStarted < OUTAGE.toNanos()) {
            during.addAll(runContainers("during", 1));
        }
        // collection goes on while Kafka is away: the file sink has them already
        collector.awaitRecords(event(during.get(during.size() - 1), "die"), 1, Duration.ofSeconds(30));
        broker.start();
        List<String> between = runContainers("between", 2);
        collector.awaitRecords(event(between.get(1), "die"), 1, Duration.ofSeconds(30));

        // second outage: the collector dies while its spool holds what Kafka has not acknowledged
        broker.stop();
        List<String> killed = runContainers("killed", 3);
        collector.awaitRecords(event(killed.get(2), "die"), 1, Duration.ofSeconds(30));
        for (String name : killed) {
            // in the spool (the file sink has them), not in Kafka
            collector.awaitRecords(kind("log").and(containerName(name)), LINES_PER_CONTAINER, Duration.ofSeconds(30));
        }
        collector.kill();
        broker.start();
        collector.start();

        // third outage: a SIGTERM while Kafka is away ends within the contract's 10 s, exit 0
        List<String> stopped = runContainers("stopped", 1);
        collector.awaitRecords(event(stopped.get(0), "die"), 1, Duration.ofSeconds(30));
        broker.stop();
        List<String> termed = runContainers("termed", 1);
        collector.awaitRecords(kind("log").and(containerName(termed.get(0))), LINES_PER_CONTAINER, Duration.ofSeconds(30));
        assertThat(collector.stop()).as("exit code after SIGTERM with Kafka away").isZero();
        broker.start();
        collector.start();
        List<String> after = runContainers("after", 2);
        collector.awaitRecords(event(after.get(1), "die"), 1, Duration.ofSeconds(30));

        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
            try {
                await("Kafka to hold what the file sink wrote").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(100)).until(() -> {
                            consumer.poll(Duration.ofMillis(500)).forEach(received::add);
                            return counts(values(received)).equals(counts(fileLines()));
                        });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(difference(values(received), fileLines()) + "\ncollector log:\n"
                        + collector.logText(), e);
            }
            assertThat(collector.stop()).as("exit code after SIGTERM").isZero();
            consumer.poll(Duration.ofSeconds(2)).forEach(received::add);

            List<String> fromKafka = values(received);
            List<String> fromFile = fileLines();
            assertThat(counts(fromKafka)).as("Kafka holds the file sink's records, each as often").isEqualTo(counts(fromFile));
            // the config source writes a snapshot of every container again at each start, so only
            // events are unique by nature: a sink sending a batch twice would repeat them
            assertThat(fromKafka.stream().filter(KafkaDeliveryIT::isEvent)).as("no event twice in Kafka")
                    .doesNotHaveDuplicates().isNotEmpty();
            assertThat(fromFile.stream().filter(KafkaDeliveryIT::isEvent)).as("no event twice in the files")
                    .doesNotHaveDuplicates();

            for (String name : concat(before, during, between, killed, stopped, termed, after)) {
                for (String action : List.of("start", "die")) {
                    List<ConsumerRecord<byte[], byte[]>> matching = received.stream()
                            .filter(r -> event(name, action).test(json(r.value()))).toList();
                    assertThat(matching).as("%s %s in Kafka", name, action).hasSize(1);
                    ConsumerRecord<byte[], byte[]> r = matching.get(0);
                    assertThat(r.topic()).isEqualTo("dockwatch-event");
                    assertThat(new String(r.key(), StandardCharsets.UTF_8)).as("key = container id")
                            .isEqualTo(json(r.value()).path("container").path("id").asText());
                    assertThat(new String(r.headers().lastHeader(KafkaSinkConstants.KIND_HEADER).value(),
                            StandardCharsets.UTF_8)).isEqualTo("event");
                }
                List<String> lines = received.stream().filter(r -> r.topic().equals("dockwatch-log"))
                        .map(r -> json(r.value())).filter(containerName(name)).map(j -> j.path("message").asText())
                        .toList();
                assertThat(lines).as("log lines of %s in Kafka, each once", name).isEqualTo(
                        java.util.stream.IntStream.rangeClosed(1, LINES_PER_CONTAINER).mapToObj(String::valueOf).toList());
            }
            assertThat(received.stream().map(ConsumerRecord::topic).distinct())
                    .as("one topic per kind").contains("dockwatch-event", "dockwatch-config", "dockwatch-log")
                    .allMatch(t -> t.matches("dockwatch-[a-z-]+"));
        }
        assertThat(during).as("containers run during the outage").hasSizeGreaterThanOrEqualTo(3);
        assertThat(collector.logText()).as("the outage was seen and the sink recovered")
                .containsAnyOf("records not acknowledged by", "no acknowledgement from")
                .contains("acknowledge again");
    }

    private List<String> runContainers(String phase, int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = Docker.uniqueName("kafka-" + phase);
            containers.add(name);
            names.add(name);
            // no network: nothing to wait for, and no bridge needed (other tests restart the shared
            // daemon, which takes docker0 away for a moment); a run refused then is tried again
            await("docker run " + name).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        Docker.tryDocker("rm", "-f", name);
                        return Docker.tryDocker("run", "--network", "none", "--name", name, Docker.TEST_IMAGE,
                                "seq", "1", String.valueOf(LINES_PER_CONTAINER))
                                .exitCode() == 0;
                    });
        }
        return names;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "dockwatch-test-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        c.subscribe(Pattern.compile("dockwatch-.*"));
        return c;
    }

    private List<String> fileLines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(collector.outputDir())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".ndjson")).sorted().toList()) {
                lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
            }
        }
        return lines;
    }

    /** What a person would look at first: how many records are missing or extra, and a few of them. */
    private static String difference(List<String> kafka, List<String> file) {
        Map<String, Long> k = counts(kafka);
        Map<String, Long> f = counts(file);
        List<String> missing = f.keySet().stream().filter(x -> k.getOrDefault(x, 0L) < f.get(x)).toList();
        List<String> extra = k.keySet().stream().filter(x -> k.get(x) > f.getOrDefault(x, 0L)).toList();
        return "Kafka has " + kafka.size() + " records, the files " + file.size() + "; missing in Kafka "
                + missing.size() + " e.g. " + missing.stream().limit(3).toList() + "; extra or repeated in Kafka "
                + extra.size() + " e.g. " + extra.stream().limit(3).toList();
    }

    private static boolean isEvent(String line) {
        return "event".equals(json(line.getBytes(StandardCharsets.UTF_8)).path("kind").asText());
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    private static Map<String, Long> counts(List<String> lines) {
        return lines.stream().collect(Collectors.groupingBy(Function.identity(), HashMap::new, Collectors.counting()));
    }

    private static JsonNode json(byte[] value) {
        try {
            return Json.MAPPER.readTree(value);
        } catch (IOException e) {
            throw new AssertionError("Not JSON in Kafka: " + new String(value, StandardCharsets.UTF_8), e);
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return Stream.of(lists).flatMap(List::stream).toList();
    }
}
