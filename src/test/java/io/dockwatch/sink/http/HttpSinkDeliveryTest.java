package io.dockwatch.sink.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.settings.Settings;
import io.dockwatch.sink.SinkTesting;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.camel.Producer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP sink's producer against a real HTTP server on loopback: delivery, retries, dead letters, TLS. */
class HttpSinkDeliveryTest {
    @TempDir
    Path tmp;
    private final int port = SinkTesting.freePort();
    private HttpReceiver receiver;
    private SinkTesting sink;

    private Producer producer(Map<String, String> extra) throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put(HttpSinkSettings.URL, receiver.url("/ingest"));
        s.put(HttpSinkSettings.RETRY_INITIAL, "50ms");
        s.put(HttpSinkSettings.RETRY_MAX, "200ms");
        s.putAll(extra);
        sink = new SinkTesting(tmp.resolve("state"), s);
        return sink.producer("http-sink:test");
    }

    @AfterEach
    void tearDown() {
        if (sink != null) {
            sink.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private static List<JsonNode> ndjson(HttpReceiver.Request r) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.text().split("\n")) {
            out.add(Json.MAPPER.readTree(line));
        }
        return out;
    }

    private static List<JsonNode> parsed(List<byte[]> records) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (byte[] r : records) {
            out.add(Json.MAPPER.readTree(r));
        }
        return out;
    }

    @Test
    void recordsArriveGzippedWithTheAuthorizationHeaderFromAFile() throws Exception {
        receiver = new HttpReceiver(port);
        Path token = tmp.resolve("token");
        Files.writeString(token, "Bearer s3cret\n");
        Producer p = producer(Map.of(HttpSinkSettings.GZIP, "true", HttpSinkSettings.AUTH_FILE, token.toString()));
        List<byte[]> records = SinkTesting.events("h1", "web", 20);
        sink.send(p, records);
        assertThat(receiver.requests()).hasSize(1);
        HttpReceiver.Request r = receiver.requests().get(0);
        assertThat(r.headers()).containsEntry("content-encoding", "gzip").containsEntry("authorization", "Bearer s3cret")
                .containsEntry("content-type", "application/x-ndjson");
        assertThat(ndjson(r)).isEqualTo(parsed(records));
    }

    @Test
    void serverErrorsAreRetriedUntilAcceptedAndRecordsArriveOnce() throws Exception {
        receiver = new HttpReceiver(port);
        AtomicInteger calls = new AtomicInteger();
        receiver.answer(r -> calls.incrementAndGet() <= 3 ? HttpReceiver.Answer.of(503, "busy") : HttpReceiver.Answer.ok());
        Producer p = producer(Map.of());
        List<byte[]> records = SinkTesting.events("h1", "web", 10);
        sink.send(p, records);
        assertThat(receiver.requests()).extracting(HttpReceiver.Request::status).containsExactly(503, 503, 503, 200);
        assertThat(receiver.accepted()).hasSize(1);
        assertThat(ndjson(receiver.accepted().get(0))).isEqualTo(parsed(records));
    }

    @Test
    void aReceiverThatIsDownIsWaitedForAndGetsEveryRecordOnce() throws Exception {
        receiver = new HttpReceiver(port);
        receiver.stop();
        Producer p = producer(Map.of());
        List<byte[]> records = SinkTesting.events("h1", "web", 10);
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                sink.send(p, records);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1500);
        assertThat(sent).isNotDone();
        receiver.start();
        sent.get(10, TimeUnit.SECONDS);
        assertThat(receiver.requests()).hasSize(1);
        assertThat(ndjson(receiver.requests().get(0))).isEqualTo(parsed(records));
    }

    @Test
    void aStoppingCollectorGivesUpAtOnceAndTheBatchIsNotDelivered() throws Exception {
        receiver = new HttpReceiver(port);
        receiver.answer(r -> HttpReceiver.Answer.of(503, "down for maintenance"));
        Producer p = producer(Map.of(HttpSinkSettings.RETRY_INITIAL, "10s", HttpSinkSettings.RETRY_MAX, "30s"));
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                sink.send(p, SinkTesting.events("h1", "web", 3));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> !receiver.requests().isEmpty());
        long t0 = System.nanoTime();
        sink.close();
        sink = null;
        await().atMost(Duration.ofSeconds(2)).until(sent::isDone);
        // the spool keeps a batch whose exchange failed: the sink must fail it, not report it delivered
        assertThat(sent).isCompletedExceptionally();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void tooManyRequestsWaitsAsLongAsRetryAfterSays() throws Exception {
        receiver = new HttpReceiver(port);
        AtomicInteger calls = new AtomicInteger();
        receiver.answer(r -> calls.incrementAndGet() == 1
                ? new HttpReceiver.Answer(429, "slow down", Map.of("Retry-After", "2")) : HttpReceiver.Answer.ok());
        Producer p = producer(Map.of());
        sink.send(p, SinkTesting.events("h1", "web", 3));
        List<HttpReceiver.Request> seen = receiver.requests();
        assertThat(seen).extracting(HttpReceiver.Request::status).containsExactly(429, 200);
        // the backoff alone would have waited at most 50 ms
        assertThat(Duration.ofNanos(seen.get(1).nanoTime() - seen.get(0).nanoTime())).isGreaterThanOrEqualTo(
                Duration.ofMillis(1900));
    }

    @Test
    void aClientErrorSendsTheRecordsToADeadLetterFileWithTheResponseAndTheBatchCountsAsDelivered() throws Exception {
        receiver = new HttpReceiver(port);
        receiver.answer(r -> HttpReceiver.Answer.of(400, "{\"error\":\"mapper_parsing_exception\"}"));
        Producer p = producer(Map.of());
        List<byte[]> records = SinkTesting.events("h1", "web", 4);
        sink.send(p, records);
        assertThat(receiver.requests()).hasSize(1);
        Path dir = tmp.resolve("state").resolve("dead-letter");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.toList();
        }
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getFileName().toString()).startsWith("http-test-").endsWith(".ndjson");
        List<String> lines = Files.readAllLines(files.get(0), StandardCharsets.UTF_8);
        JsonNode header = Json.MAPPER.readTree(lines.get(0)).path("dead_letter");
        assertThat(header.path("status").asInt()).isEqualTo(400);
        assertThat(header.path("response").asText()).contains("mapper_parsing_exception");
        assertThat(header.path("url").asText()).isEqualTo(receiver.url("/ingest"));
        assertThat(header.path("records").asInt()).isEqualTo(4);
        List<JsonNode> kept = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            kept.add(Json.MAPPER.readTree(l));
        }
        assertThat(kept).isEqualTo(parsed(records));
    }

    @Test
    void aBatchTooLargeForTheReceiverIsHalvedUntilItFits() throws Exception {
        receiver = new HttpReceiver(port);
        receiver.answer(r -> r.body().length > 1500 ? HttpReceiver.Answer.of(413, "too large") : HttpReceiver.Answer.ok());
        Producer p = producer(Map.of());
        List<byte[]> records = SinkTesting.events("h1", "web", 16);
        sink.send(p, records);
        List<JsonNode> got = new ArrayList<>();
        for (HttpReceiver.Request r : receiver.accepted()) {
            got.addAll(ndjson(r));
        }
        assertThat(got).isEqualTo(parsed(records));
        assertThat(receiver.requests().stream().filter(r -> r.status() == 413)).isNotEmpty();
    }

    @Test
    void requestsStayUnderTheConfiguredSize() throws Exception {
        receiver = new HttpReceiver(port);
        Producer p = producer(Map.of(HttpSinkSettings.MAX_BYTES, "2kb"));
        List<byte[]> records = SinkTesting.events("h1", "web", 60);
        sink.send(p, records);
        List<JsonNode> got = new ArrayList<>();
        for (HttpReceiver.Request r : receiver.requests()) {
            assertThat(r.body().length).isLessThanOrEqualTo(2048);
            got.addAll(ndjson(r));
        }
        assertThat(receiver.requests().size()).isGreaterThan(3);
        assertThat(got).isEqualTo(parsed(records));
    }

    @Test
    void bulkItemsTheClusterCouldNotTakeAreResentAndRefusedOnesDeadLettered() throws Exception {
        receiver = new HttpReceiver(port);
        AtomicInteger calls = new AtomicInteger();
        receiver.answer(r -> calls.incrementAndGet() == 1
                ? HttpReceiver.Answer.of(200, "{\"errors\":true,\"items\":["
                        + "{\"index\":{\"status\":201}},"
                        + "{\"index\":{\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\"}}},"
                        + "{\"index\":{\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\"}}}]}")
                : HttpReceiver.Answer.of(200, "{\"errors\":false,\"items\":[{\"index\":{\"status\":201}}]}"));
        Producer p = producer(Map.of(HttpSinkSettings.FORMAT, "elasticsearch-bulk"));
        List<byte[]> records = SinkTesting.events("h1", "web", 3);
        sink.send(p, records);
        List<HttpReceiver.Request> seen = receiver.requests();
        assertThat(seen).hasSize(2);
        String[] resent = seen.get(1).text().split("\n");
        assertThat(resent).hasSize(2);
        assertThat(Json.MAPPER.readTree(resent[1])).isEqualTo(Json.MAPPER.readTree(records.get(1)));
        Path dir = tmp.resolve("state").resolve("dead-letter");
        try (Stream<Path> s = Files.list(dir)) {
            Path f = s.findFirst().orElseThrow();
            List<String> lines = Files.readAllLines(f);
            assertThat(lines.get(0)).contains("mapper_parsing_exception");
            assertThat(Json.MAPPER.readTree(lines.get(0)).path("dead_letter").path("status").asInt()).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(lines.get(1))).isEqualTo(Json.MAPPER.readTree(records.get(2)));
            assertThat(lines).hasSize(2);
        }
    }

    /**
     * A write block (403) or a missing index with auto-creation off (404) is the operator's to fix,
     * as the same statuses on a whole request are: the documents wait and are sent again, not
     * dead-lettered. The answers are OpenSearch 2.19's, as OpenSearchBulkIT meets them.
     */
    @Test
    void bulkItemsOnlyTheOperatorCanFixAreResentNotDeadLettered() throws Exception {
        receiver = new HttpReceiver(port);
        AtomicInteger calls = new AtomicInteger();
        receiver.answer(r -> switch (calls.incrementAndGet()) {
            case 1 -> HttpReceiver.Answer.of(200, "{\"errors\":true,\"items\":["
                    + "{\"index\":{\"_index\":\"dockwatch-event\",\"status\":403,\"error\":{\"type\":\"cluster_block_exception\","
                    + "\"reason\":\"index [dockwatch-event] blocked by: [FORBIDDEN/8/index write (api)];\"}}},"
                    + "{\"index\":{\"_index\":\"dockwatch-event\",\"status\":201}},"
                    + "{\"index\":{\"_index\":\"dockwatch-event\",\"status\":404,\"error\":{\"type\":\"index_not_found_exception\","
                    + "\"reason\":\"no such index [dockwatch-event]\"}}}]}");
            case 2 -> HttpReceiver.Answer.of(200, "{\"errors\":true,\"items\":["
                    + "{\"index\":{\"status\":403,\"error\":{\"type\":\"cluster_block_exception\"}}},"
                    + "{\"index\":{\"status\":201}}]}");
            default -> HttpReceiver.Answer.of(200, "{\"errors\":false,\"items\":[{\"index\":{\"status\":201}}]}");
        });
        Producer p = producer(Map.of(HttpSinkSettings.FORMAT, "elasticsearch-bulk"));
        List<byte[]> records = SinkTesting.events("h1", "web", 3);
        sink.send(p, records);
        List<HttpReceiver.Request> seen = receiver.requests();
        assertThat(seen).hasSize(3);
        assertThat(bulkSources(seen.get(1))).isEqualTo(parsed(List.of(records.get(0), records.get(2))));
        assertThat(bulkSources(seen.get(2))).isEqualTo(parsed(List.of(records.get(0))));
        assertThat(tmp.resolve("state").resolve("dead-letter")).doesNotExist();
    }

    /** The documents of a bulk body: every second line, after its action line. */
    private static List<JsonNode> bulkSources(HttpReceiver.Request r) throws IOException {
        List<JsonNode> lines = ndjson(r);
        List<JsonNode> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i += 2) {
            out.add(lines.get(i));
        }
        return out;
    }

    @Test
    void httpsWithTheReceiversCaDeliversAndWithoutItDeliversNothing() throws Exception {
        Path ks = tmp.resolve("receiver.p12");
        Path ca = tmp.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "receiver", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "receiver", "-keystore", ks.toString(), "-storepass", "changeit",
                "-file", ca.toString());
        receiver = new HttpReceiver(port, serverTls(ks));
        assertThat(receiver.url("/")).startsWith("https://");

        Producer trusting = producer(Map.of(HttpSinkSettings.TLS_CA, ca.toString()));
        List<byte[]> records = SinkTesting.events("h1", "web", 5);
        sink.send(trusting, records);
        assertThat(receiver.requests()).hasSize(1);
        assertThat(ndjson(receiver.requests().get(0))).isEqualTo(parsed(records));
        sink.close();

        // the JVM's default trust store does not know this receiver: the sink keeps the records and retries
        Producer untrusting = producer(Map.of());
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                sink.send(untrusting, records);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1500);
        assertThat(sent).isNotDone();
        assertThat(receiver.requests()).hasSize(1);
        sent.cancel(true);
        sink.close();
        sink = null;
        await().atMost(Duration.ofSeconds(5)).until(sent::isDone);
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    private static SSLContext serverTls(Path ks) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(ks.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
