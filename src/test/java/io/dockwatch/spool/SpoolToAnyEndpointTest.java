package io.dockwatch.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dockwatch.DockwatchServices;
import io.dockwatch.record.Json;
import io.dockwatch.settings.Settings;
import io.dockwatch.sink.SinkTesting;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool consumer in front of routes that act as stock endpoints would: Camel converts the
 * batch to what they ask for, and the cursor moves only for an exchange that completed, so a
 * failing or rolled-back route loses nothing and a recovered one repeats nothing.
 */
class SpoolToAnyEndpointTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path state;
    private final List<DefaultCamelContext> contexts = new ArrayList<>();
    private final List<DockwatchServices> services = new ArrayList<>();

    @AfterEach
    void close() {
        contexts.forEach(DefaultCamelContext::stop);
        services.forEach(DockwatchServices::close);
    }

    @Test
    void camelConvertsABatchToNdjsonBytesStreamAndAListOfMaps() throws Exception {
        DefaultCamelContext camel = context(null);
        camel.start();
        RecordBatch batch = new RecordBatch(List.of(record(1), "{\"kind\":\"log\",\"message\":\"grüße\"}".getBytes(StandardCharsets.UTF_8)));
        String ndjson = new String(record(1), StandardCharsets.UTF_8) + "\n{\"kind\":\"log\",\"message\":\"grüße\"}\n";

        assertThat(camel.getTypeConverter().mandatoryConvertTo(String.class, batch)).isEqualTo(ndjson);
        assertThat(camel.getTypeConverter().mandatoryConvertTo(byte[].class, batch))
                .isEqualTo(ndjson.getBytes(StandardCharsets.UTF_8));
        try (InputStream in = camel.getTypeConverter().mandatoryConvertTo(InputStream.class, batch)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(ndjson);
        }
        List<?> maps = camel.getTypeConverter().mandatoryConvertTo(List.class, batch);
        assertThat(maps).hasSize(2);
        assertThat(maps.get(0)).isEqualTo(Map.of("@timestamp", "2026-12-02T10:00:00Z", "kind", "log", "n", 1));
        assertThat(maps.get(1)).isEqualTo(Map.of("kind", "log", "message", "grüße"));
        // whatever only calls toString() still gets the records, never an object id
        assertThat(batch.toString()).isEqualTo(ndjson);
    }

    @Test
    void convertBodyToStringAfterTheSpoolGetsTheRecords() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        DefaultCamelContext camel = context(new RouteBuilder() {
            @Override
            public void configure() {
                from("spool:records?sink=text").convertBodyTo(String.class).process(e -> bodies.add(e.getMessage().getBody(String.class)));
            }
        });
        append(camel, 0, 5);
        camel.start();

        await().atMost(WAIT).until(() -> String.join("", bodies).lines().count() == 5);
        assertThat(String.join("", bodies).lines().map(l -> Json.readObject(l.getBytes(StandardCharsets.UTF_8)).path("n").asInt()))
                .containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void aFailingRouteKeepsTheCursorAndTheRecordsArriveOnceWhenItRecovers() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(3);
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        DefaultCamelContext camel = context(new RouteBuilder() {
            @Override
            public void configure() {
                from("spool:records?sink=flaky").process(receiver(failuresLeft, delivered));
            }
        });
        append(camel, 0, 20);
        camel.start();

        await().atMost(WAIT).until(() -> delivered.size() >= 20);
        assertThat(failuresLeft).hasValue(0);
        assertThat(delivered).containsExactlyElementsOf(range(0, 20));
    }

    @Test
    void aRolledBackExchangeDoesNotMoveTheCursor() throws Exception {
        AtomicInteger rollbacksLeft = new AtomicInteger(2);
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        DefaultCamelContext camel = context(new RouteBuilder() {
            @Override
            public void configure() {
                from("spool:records?sink=rollback")
                        .choice().when(e -> rollbacksLeft.getAndDecrement() > 0).rollback("receiver not ready").end()
                        .process(receiver(new AtomicInteger(), delivered));
            }
        });
        append(camel, 0, 10);
        camel.start();

        await().atMost(WAIT).until(() -> delivered.size() >= 10);
        assertThat(delivered).containsExactlyElementsOf(range(0, 10));
    }

    @Test
    void oneRecordPerExchangeResumesAtTheRecordThatFailedAcrossAnOutageAndARestart() throws Exception {
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        AtomicInteger outage = new AtomicInteger(); // > 0: the receiver refuses, counting refusals
        List<String> kinds = new CopyOnWriteArrayList<>();
        RouteBuilder route = new RouteBuilder() {
            @Override
            public void configure() {
                from("spool:records?sink=each&batch=false").process(e -> {
                    int n = Json.readObject(e.getMessage().getBody(String.class).getBytes(StandardCharsets.UTF_8)).path("n").asInt();
                    if (n >= 7 && outage.get() > 0) {
                        outage.incrementAndGet();
                        throw new IllegalStateException("receiver down");
                    }
                    kinds.add(e.getMessage().getHeader(RecordBatch.KIND_HEADER, String.class));
                    delivered.add(n);
                });
            }
        };
        DefaultCamelContext first = context(route);
        outage.set(1);
        append(first, 0, 30); // one spool batch: records 0..6 go through, 7 fails again and again
        first.start();
        await().atMost(WAIT).until(() -> outage.get() >= 3);
        assertThat(delivered).containsExactlyElementsOf(range(0, 7));
        first.stop(); // a restart while the receiver is down: the progress within the batch is saved
        services.get(0).close();

        outage.set(0);
        DefaultCamelContext second = context(route);
        second.start();
        await().atMost(WAIT).until(() -> delivered.size() >= 30);
        Thread.sleep(500); // anything sent twice would arrive now
        assertThat(delivered).containsExactlyElementsOf(range(0, 30));
        assertThat(kinds).containsOnly("log");
    }

    private static org.apache.camel.Processor receiver(AtomicInteger failuresLeft, List<Integer> delivered) {
        return e -> {
            if (failuresLeft.get() > 0) {
                failuresLeft.decrementAndGet();
                throw new IllegalStateException("receiver down");
            }
            // what a stock endpoint would do: ask Camel for the body type it sends
            List<?> records = e.getMessage().getBody(List.class);
            for (Object r : records) {
                delivered.add(((Number) ((Map<?, ?>) r).get("n")).intValue());
            }
        };
    }

    private DefaultCamelContext context(RouteBuilder routes) throws Exception {
        Properties p = SinkTesting.defaults();
        p.setProperty(Settings.STATE_DIR, state.toString());
        p.setProperty(Settings.OUTPUT_DIR, state.resolve("out").toString());
        DockwatchServices s = new DockwatchServices(Settings.from(p, Map.of(), new Properties()).validate());
        services.add(s);
        DefaultCamelContext camel = new DefaultCamelContext();
        contexts.add(camel);
        camel.getRegistry().bind("dockwatchServices", s);
        if (routes != null) {
            camel.addRoutes(routes);
        }
        return camel;
    }

    private void append(DefaultCamelContext camel, int from, int to) {
        Spool spool = camel.getRegistry().lookupByNameAndType("dockwatchServices", DockwatchServices.class).spool("records");
        for (int i = from; i < to; i++) {
            spool.append(record(i), List.of());
        }
        spool.flush();
    }

    private static byte[] record(int n) {
        return ("{\"@timestamp\":\"2026-12-02T10:00:00Z\",\"kind\":\"log\",\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }
}
