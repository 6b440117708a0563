package io.dockwatch.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.sink.SinkTesting;
import io.dockwatch.sink.http.HttpReceiver;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Http;
import io.dockwatch.testing.KafkaBroker;
import io.dockwatch.testing.TestContainers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipes in routes/examples/ that send to stock Camel components (camel-http, camel-kafka,
 * camel-file, and a route template) run by the real collector jar against real receivers: while
 * containers print, the receiver goes away and comes back, and in the end it holds every log line
 * of every container exactly once.
 */
class StockEndpointRecipesIT {
    private static final Path EXAMPLES = Path.of("routes", "examples").toAbsolutePath();
    private static final int LINES = 40;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    private final TestContainers containers = new TestContainers();
    private Collector collector;
    private Receiver receiver;

    /** A destination that can be taken away and brought back, and read as a list of records. */
    private interface Receiver extends AutoCloseable {
        void down() throws Exception;

        void up() throws Exception;

        List<JsonNode> records() throws Exception;

        @Override
        void close();
    }

    @AfterEach
    void tearDown() {
        if (collector != null) {
            collector.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        containers.removeAll();
    }

    @Test
    void camelHttpRecipePostsEveryLineOnceAcrossAnOutage() throws Exception {
        HttpReceiver http = new HttpReceiver(SinkTesting.freePort());
        receiver = httpReceiver(http);
        deliversEveryLineOnceAcrossAnOutage("logs-to-camel-http", "camel-http",
                Map.of("destination.url", http.url("/ingest")));
        assertThat(http.accepted()).allSatisfy(r -> assertThat(r.headers()).containsEntry("content-type", "application/x-ndjson"));
    }

    @Test
    void routeTemplateRecipePostsEveryLineOnItsOwnOnceAcrossAnOutage() throws Exception {
        HttpReceiver http = new HttpReceiver(SinkTesting.freePort());
        receiver = httpReceiver(http);
        deliversEveryLineOnceAcrossAnOutage("any-endpoint-template", "logs-each",
                Map.of("destination.url", http.url("/each")));
        assertThat(http.accepted()).as("one record per request").allSatisfy(r -> assertThat(r.text().strip()).doesNotContain("\n"));
    }

    @Test
    void camelFileRecipeAppendsEveryLineOnceAcrossAnOutage() throws Exception {
        Path dir = tmp.resolve("files");
        Path away = tmp.resolve("files.away");
        receiver = new Receiver() {
            @Override
            public void down() throws IOException {
                // the folder is replaced by a plain file, as when a volume is not mounted: nothing can be written
                Files.move(dir, away);
                Files.writeString(dir, "not a folder");
            }

            @Override
            public void up() throws IOException {
                if (Files.exists(away)) {
                    Files.delete(dir);
                    Files.move(away, dir);
                }
            }

            @Override
            public List<JsonNode> records() throws IOException {
                if (!Files.isDirectory(dir)) {
                    return List.of();
                }
                List<JsonNode> out = new ArrayList<>();
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(p -> p.getFileName().toString().matches("dockwatch-\\d{8}-\\d{2}\\.ndjson")).sorted().toList()) {
                        for (String line : Files.readAllLines(f)) {
                            out.add(Json.MAPPER.readTree(line));
                        }
                    }
                }
                return out;
            }

            @Override
            public void close() {
            }
        };
        Files.createDirectories(dir);
        deliversEveryLineOnceAcrossAnOutage("events-and-logs-to-camel-file", "camel-file",
                Map.of("destination.dir", dir.toString()));
    }

    @Test
    void camelKafkaRecipeSendsEveryLineOnceAcrossABrokerOutage() throws Exception {
        KafkaBroker broker = new KafkaBroker(tmp.resolve("kafka")).start();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "recipe-test");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of("dockwatch-recipe"));
        List<JsonNode> received = new ArrayList<>();
        receiver = new Receiver() {
            @Override
            public void down() {
                broker.stop();
            }

            @Override
            public void up() {
                broker.start();
            }

            @Override
            public List<JsonNode> records() throws IOException {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    received.add(Json.MAPPER.readTree(r.value()));
                }
                return received;
            }

            @Override
            public void close() {
                consumer.close(Duration.ofSeconds(2));
                broker.stop();
            }
        };
        deliversEveryLineOnceAcrossAnOutage("logs-to-camel-kafka", "camel-kafka",
                Map.of("destination.kafka.brokers", broker.bootstrapServers(), "destination.kafka.topic", "dockwatch-recipe",
                        // the producer gives up on a record after this long, and it is sent again from the spool
                        "destination.kafka.deliveryTimeoutMs", "8000"));
        assertThat(received.stream().map(r -> r.path("kind").asText())).as("events go the same way").contains("event");
    }

    /**
     * Containers print LINES numbered lines before, during and after an outage of the receiver;
     * the receiver then holds each container's lines, each exactly once.
     */
    private void deliversEveryLineOnceAcrossAnOutage(String recipe, String sink, Map<String, String> destination)
            throws Exception {
        collector = new Collector(tmp.resolve("collector"))
                .with("dockwatch.routes", EXAMPLES.resolve(recipe).toString())
                .with("dockwatch.containers.include", "dwt-recipe-*"); // a shared daemon: only our logs
        destination.forEach(collector::with);
        long t0 = System.nanoTime();
        collector.start();
        phase(t0, "started");

        print("before");
        awaitEveryLineOnce("lines printed before the outage");
        phase(t0, "before delivered");

        receiver.down();
        phase(t0, "receiver down");
        print("during");
        await("the sink failing while the receiver is away").atMost(WAIT).pollInterval(Duration.ofMillis(300))
                .until(() -> Http.get(collector.baseUrl() + "/observe/metrics").body()
                        .matches("(?s).*dockwatch_sink_records_failed_total\\{sink=\"" + sink + "\"} [1-9].*"));
        phase(t0, "sink failing");
        receiver.up();
        phase(t0, "receiver up");
        print("after");
        awaitEveryLineOnce("lines printed before, during and after the outage");
        phase(t0, "all delivered");
        Thread.sleep(1000); // a batch sent twice would show now
        assertThat(perContainerLines(receiver.records())).isEqualTo(expected());
        assertThat(collector.stop()).as("exit code after SIGTERM").isZero();
    }

    private static void phase(long t0, String what) {
        System.err.printf("%s: %s after %.1f s%n", StockEndpointRecipesIT.class.getSimpleName(), what,
                (System.nanoTime() - t0) / 1e9);
    }

    private void print(String phase) {
        for (int i = 0; i < 2; i++) {
            containers.runSeq("recipe-" + phase, LINES);
        }
    }

    private void awaitEveryLineOnce(String what) throws Exception {
        try {
            await(what).atMost(WAIT).pollInterval(Duration.ofMillis(300))
                    .until(() -> perContainerLines(receiver.records()).equals(expected()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("expected " + expected() + "\nreceived " + perContainerLines(receiver.records())
                    + "\ncollector log:\n" + collector.logText(), e);
        }
    }

    /** Each of our containers' log lines as received, sorted (Kafka's partitions do not keep order across them). */
    private Map<String, List<String>> perContainerLines(List<JsonNode> records) {
        Set<String> ours = new HashSet<>(containers.names());
        return records.stream().filter(Collector.kind("log"))
                .filter(r -> ours.contains(r.path("container").path("name").asText()))
                .collect(Collectors.groupingBy(r -> r.path("container").path("name").asText(), TreeMap::new,
                        Collectors.mapping(r -> r.path("message").asText(),
                                Collectors.collectingAndThen(Collectors.toList(), l -> l.stream().sorted().toList()))));
    }

    private Map<String, List<String>> expected() {
        List<String> lines = IntStream.rangeClosed(1, LINES).mapToObj(String::valueOf).sorted().toList();
        Map<String, List<String>> out = new TreeMap<>();
        containers.names().forEach(n -> out.put(n, lines));
        return out;
    }

    private static Receiver httpReceiver(HttpReceiver http) {
        return new Receiver() {
            @Override
            public void down() {
                http.stop();
            }

            @Override
            public void up() {
                http.start();
            }

            @Override
            public List<JsonNode> records() {
                List<JsonNode> out = new ArrayList<>();
                for (HttpReceiver.Request r : http.accepted()) {
                    for (String line : new String(r.body(), StandardCharsets.UTF_8).split("\n")) {
                        if (!line.isBlank()) {
                            try {
                                out.add(Json.MAPPER.readTree(line));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    }
                }
                return out;
            }

            @Override
            public void close() {
                http.close();
            }
        };
    }
}
