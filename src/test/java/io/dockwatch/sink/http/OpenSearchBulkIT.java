package io.dockwatch.sink.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.OpenSearch;
import io.dockwatch.testing.TestContainers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code elasticsearch-bulk} format against a real OpenSearch 2.19, fed by the whole collector
 * on the real daemon with the recipe {@code routes/examples/events-and-logs-to-opensearch} and the
 * {@code _bulk} URL, nothing else (gzip on). An index template as a user would write one types a container label as
 * an integer; one container's label does not fit, so OpenSearch refuses its documents item by
 * item inside a 200 answer (400: dead letters). A write block on the log index answers 403 per
 * document (the operator's to fix: the documents wait until it is lifted). Then OpenSearch stops
 * while containers go on logging, and starts again. In the end every record of this test's containers that the NDJSON file sink holds is
 * either indexed or in a dead letter, exactly once; each container's lines are indexed once
 * (the refused container's are all in dead letters), and {@code @timestamp} is a {@code date}.
 */
class OpenSearchBulkIT {
    private static final int LINES = 40;
    /** The label the template types as an integer. */
    private static final String PORT_LABEL = "dwos_port";
    /** Names of this test's containers start so (TestContainers' names, prefix "os-"). */
    private static final String NAME_PREFIX = "dwt-os-";
    /** The recipe users copy: events and logs to OpenSearch (format on the endpoint), everything to files. */
    private static final Path RECIPE = Path.of("routes", "examples", "events-and-logs-to-opensearch");

    @TempDir
    Path tmp;
    private final TestContainers containers = new TestContainers();
    private final List<String> refused = new ArrayList<>();
    private OpenSearch search;
    private Collector collector;

    @AfterEach
    void tearDown() {
        if (collector != null) {
            collector.close();
        }
        if (search != null) {
            search.close();
        }
        containers.removeAll();
    }

    /** A container labelled {@code dwos_port=PORT} that prints 1 to LINES and exits. */
    private String run(String phase, String port) {
        String n = containers.name("os-" + phase);
        Docker.docker("run", "--network", "none", "--name", n, "--label", PORT_LABEL + "=" + port, Docker.TEST_IMAGE,
                "seq", "1", Integer.toString(LINES));
        return n;
    }

    private boolean ours(JsonNode r) {
        return containers.names().contains(r.path("container").path("name").asText());
    }

    /** Records as canonical JSON text, sorted: the same record reads the same from the file, OpenSearch or a dead letter. */
    private List<String> canonical(List<JsonNode> records) {
        return records.stream().filter(this::ours).map(JsonNode::toString).sorted().toList();
    }

    /** This test's documents in every dockwatch index, their {@code _source} as sent. */
    private List<JsonNode> indexed() {
        search.ok("POST", "/dockwatch-*/_refresh", null);
        JsonNode hits = read(search.ok("POST", "/dockwatch-*/_search", "{\"size\":10000,\"query\":{\"prefix\":"
                + "{\"container.name.keyword\":\"" + NAME_PREFIX + "\"}}}"));
        List<JsonNode> out = new ArrayList<>();
        hits.path("hits").path("hits").forEach(h -> out.add(h.path("_source")));
        return out;
    }

    /** The records in the dead-letter files (each file: a header line, then the records). */
    private List<JsonNode> deadLettered() {
        List<JsonNode> out = new ArrayList<>();
        for (Path f : deadLetterFiles()) {
            List<String> lines = lines(f);
            lines.subList(1, lines.size()).forEach(l -> out.add(read(l)));
        }
        return out;
    }

    private List<Path> deadLetterFiles() {
        Path dir = tmp.resolve("state").resolve("dead-letter");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".ndjson")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Until every container has exited, its lines are in the file, and OpenSearch plus the dead letters hold as much. */
    private void awaitDelivered() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<JsonNode> file = collector.records();
            long died = file.stream().filter(Collector.kind("event")).filter(this::ours)
                    .filter(r -> "die".equals(r.path("event").path("action").asText())).count();
            long lines = file.stream().filter(Collector.kind("log")).filter(this::ours).count();
            return died == containers.size() && lines >= (long) LINES * containers.size()
                    && canonical(indexed()).size() + canonical(deadLettered()).size() >= canonical(file).size();
        });
    }

    private long count(String index, String containerName) {
        return read(search.ok("POST", "/" + index + "/_count",
                "{\"query\":{\"term\":{\"container.name.keyword\":\"" + containerName + "\"}}}")).path("count").asLong();
    }

    @Test
    void documentsAreIndexedOnceRefusedOnesAreDeadLetteredAndAnOutageLosesNothing() throws Exception {
        Instant testStart = Instant.now();
        search = new OpenSearch(tmp.resolve("opensearch")).start();
        // as a user's template would: replicas off on one node, and one field typed
        search.ok("PUT", "/_index_template/dockwatch", "{\"index_patterns\":[\"dockwatch-*\"],\"template\":{"
                + "\"settings\":{\"number_of_replicas\":0},\"mappings\":{\"properties\":{\"container\":{\"properties\":"
                + "{\"labels\":{\"properties\":{\"" + PORT_LABEL + "\":{\"type\":\"integer\"}}}}}}}}}");
        collector = new Collector(tmp).with("dockwatch.routes", RECIPE.toAbsolutePath().toString())
                .with("dockwatch.sink.http.url", search.url("/_bulk")).with("dockwatch.sink.http.gzip", "true")
                .with("dockwatch.sink.http.retry.initial", "100ms").with("dockwatch.sink.http.retry.max", "1s")
                // logs and stats of this test's containers only: the shared daemon runs other tests' floods
                .with("dockwatch.containers.include", NAME_PREFIX + "*")
                .start();

        run("up", "8080");
        refused.add(run("refused", "eighty"));
        run("up", "9090");
        awaitDelivered();

        // an operator's write block answers 403 per document inside a 200: waited out, not dead-lettered
        search.ok("PUT", "/dockwatch-log/_settings", "{\"index.blocks.write\":true}");
        run("blocked", "8088");
        await().atMost(Duration.ofSeconds(60)).until(() -> collector.logText().contains("cluster_block_exception"));
        search.ok("PUT", "/dockwatch-log/_settings", "{\"index.blocks.write\":false}");
        awaitDelivered();

        search.stop();
        run("down", "8081");
        run("down", "8082");
        await().atMost(Duration.ofSeconds(60)).until(() -> collector.logText().contains("cannot reach " + search.url(""))
                && collector.records().stream().filter(Collector.kind("log")).filter(this::ours).count()
                        >= (long) LINES * containers.size());
        search.start();
        run("back", "8083");
        awaitDelivered();
        Thread.sleep(2000); // anything sent twice would arrive now

        List<String> file = canonical(collector.records());
        List<String> got = canonical(indexed());
        List<String> dead = canonical(deadLettered());
        System.out.printf("%s: %d records of %d containers in the file sink, %d indexed, %d dead-lettered; "
                + "the test took %d s%n", getClass().getSimpleName(), file.size(), containers.size(), got.size(),
                dead.size(), Duration.between(testStart, Instant.now()).toSeconds());

        assertThat(new HashSet<>(file)).as("the file sink holds each record once").hasSize(file.size());
        List<String> both = new ArrayList<>(got);
        both.addAll(dead);
        assertThat(both.stream().sorted().toList()).as("each record indexed or dead-lettered, exactly once")
                .isEqualTo(file);
        assertThat(dead).as("only the refused container's records are refused").isNotEmpty()
                .allMatch(r -> refused.contains(read(r).path("container").path("name").asText()));

        for (String name : containers.names()) {
            List<String> messages = messages(name, got);
            if (refused.contains(name)) {
                assertThat(messages).as(name + " has nothing indexed").isEmpty();
                assertThat(messages(name, dead)).as(name + "'s lines, each once, in dead letters")
                        .isEqualTo(oneTo(LINES));
                assertThat(count("dockwatch-*", name)).isZero();
            } else {
                assertThat(messages).as(name + "'s lines, each indexed once").isEqualTo(oneTo(LINES));
                assertThat(count("dockwatch-log", name)).as("_count of " + name + "'s lines").isEqualTo(LINES);
            }
        }

        JsonNode mapping = read(search.ok("GET", "/dockwatch-log,dockwatch-event/_mapping", null));
        for (String index : List.of("dockwatch-log", "dockwatch-event")) {
            assertThat(mapping.path(index).path("mappings").path("properties").path("@timestamp").path("type").asText())
                    .as(index + " maps @timestamp").isEqualTo("date");
        }
        // a date, not a string: a time range finds every line of the test
        long inRange = read(search.ok("POST", "/dockwatch-log/_count", "{\"query\":{\"bool\":{\"filter\":["
                + "{\"range\":{\"@timestamp\":{\"gte\":\"" + testStart.minusSeconds(5) + "\"}}},"
                + "{\"prefix\":{\"container.name.keyword\":\"" + NAME_PREFIX + "\"}}]}}}")).path("count").asLong();
        assertThat(inRange).isEqualTo((long) LINES * (containers.size() - refused.size()));

        // the dead letter holding the refused container's records says why, in OpenSearch's words
        Path letter = deadLetterFiles().stream().filter(f -> lines(f).stream().skip(1).map(OpenSearchBulkIT::read)
                .anyMatch(r -> refused.contains(r.path("container").path("name").asText()))).findFirst().orElseThrow();
        JsonNode header = read(lines(letter).get(0)).path(DeadLetters.HEADER_FIELD);
        assertThat(header.path("status").asInt()).isEqualTo(400);
        assertThat(header.path("format").asText()).isEqualTo("elasticsearch-bulk");
        assertThat(header.path("response").asText()).contains("mapper_parsing_exception").contains(PORT_LABEL);
        assertThat(collector.logText()).contains("refused").contains("with 400; kept in")
                .contains("took only part of a bulk request").contains("403 cluster_block_exception")
                .contains("Sink opensearch recovered after");
        collector.stop();
    }

    private static List<String> messages(String name, List<String> records) {
        return records.stream().map(OpenSearchBulkIT::read).filter(Collector.kind("log"))
                .filter(Collector.containerName(name)).map(r -> r.path("message").asText())
                .sorted((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b))).toList();
    }

    private static List<String> oneTo(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(Integer::toString).toList();
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
