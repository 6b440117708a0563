package io.dockwatch.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dockwatch.DockwatchServices;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import io.dockwatch.settings.Settings;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overflow policy as routes see it: a sink route that is down (its processor throws, so the
 * spool consumer retries with backoff) while records keep coming into {@code spool:records}.
 */
class SpoolOverflowTest {
    private static final int RECORDS = 15_000; // about 1.8 MB against a 256 KB bound

    @TempDir
    Path tmp;
    private DefaultCamelContext camel;
    private volatile boolean sinkDown = true;
    private final List<Integer> delivered = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }

    @Test
    void dropOldestKeepsCollectingAndTheSinkGetsWhatWasNotDropped() throws Exception {
        Spool spool = start("drop-oldest");
        ProducerTemplate source = camel.createProducerTemplate();
        for (int i = 0; i < RECORDS; i++) {
            source.sendBody("spool:records", record(i)); // never waits: the spool drops instead
        }
        spool.flush();
        assertThat(spool.droppedRecords()).as("dropped while the sink was down").isPositive();
        assertThat(spool.diskBytes()).as("on disk").isLessThanOrEqualTo(256 * 1024 + 128 * 1024);

        sinkDown = false;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .conditionEvaluationListener(c -> {
                    if (c.getRemainingTimeInMS() < 200) {
                        System.err.println("DEBUG delivered=" + delivered.size() + " dropped=" + spool.droppedRecords()
                                + " first=" + (delivered.isEmpty() ? -1 : delivered.get(0)) + " last="
                                + (delivered.isEmpty() ? -1 : delivered.get(delivered.size() - 1)));
                    }
                })
                .until(() -> delivered.size() + spool.droppedRecords() >= RECORDS);
        assertThat(delivered.size() + spool.droppedRecords()).as("delivered + dropped").isEqualTo(RECORDS);
        assertThat(delivered).as("the rest arrives once, in order, ending with the newest")
                .doesNotHaveDuplicates().isSorted().endsWith(RECORDS - 1);
        assertThat(delivered.get(delivered.size() - 1) - delivered.get(0) + 1).as("no gap after the jump")
                .isEqualTo(delivered.size());
    }

    @Test
    void blockHoldsTheSourceAndTheSinkGetsEverythingWhenBack() throws Exception {
        Spool spool = start("block");
        ProducerTemplate source = camel.createProducerTemplate();
        AtomicInteger sent = new AtomicInteger();
        Thread sourceThread = new Thread(() -> {
            for (int i = 0; i < RECORDS; i++) {
                source.sendBody("spool:records", record(i));
                sent.incrementAndGet();
            }
        });
        sourceThread.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> spool.blockedMillis() > 0 || sourceThread.getState() == Thread.State.TIMED_WAITING);
        int stalled = sent.get();
        Thread.sleep(1000);
        assertThat(sent.get()).as("the source waits while the sink is down").isEqualTo(stalled).isLessThan(RECORDS);

        sinkDown = false;
        sourceThread.join(60_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered.size() >= RECORDS);
        assertThat(delivered).as("every record once, in order").hasSize(RECORDS).doesNotHaveDuplicates().isSorted();
        assertThat(spool.droppedRecords()).isZero();
    }

    private Spool start(String overflow) throws Exception {
        Properties defaults = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            defaults.load(in);
        }
        Properties o = new Properties();
        o.setProperty(Settings.STATE_DIR, tmp.resolve("state").toString());
        o.setProperty(Settings.SPOOL_MAX_BYTES, "256kb");
        o.setProperty(Settings.SPOOL_OVERFLOW, overflow);
        DockwatchServices services = new DockwatchServices(Settings.from(defaults, Map.of(), o).validate());
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("dockwatchServices", services);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("spool:records?sink=flaky&batchBytes=65536").process(e -> {
                    if (sinkDown) {
                        throw new IllegalStateException("sink down");
                    }
                    for (byte[] line : e.getMessage().getBody(RecordBatch.class).lines()) {
                        String s = new String(line, java.nio.charset.StandardCharsets.US_ASCII);
                        delivered.add(Integer.parseInt(s.replaceAll(".*\"n\":(\\d+).*", "$1")));
                    }
                });
            }
        });
        camel.start();
        return services.spool("records");
    }

    private static Record record(int n) {
        return Record.of(Kind.LOG, Instant.now()).put("n", n).put("message", "x".repeat(80));
    }
}
