package io.dockwatch.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.IntNode;
import io.dockwatch.record.Json;
import io.dockwatch.spool.SpoolOverflow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The spool's bound with a sink that is down while sources keep writing: drop-oldest deletes what
 * the sink has not read (counted, logged once), block holds the source until the sink is back.
 */
class SpoolBoundTest {
    private static final long BOUND = 512 * 1024;
    /** The segment being written (an eighth of the bound, at least 64 KB) and one flush may go past it. */
    private static final long SLACK = 128 * 1024;
    private static final int RECORDS = 20_000; // about 2.4 MB of records: several times the bound

    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger spoolLog = (Logger) LoggerFactory.getLogger(Spool.class);
    private Spool spool;

    @BeforeEach
    void captureLogs() {
        logs.start();
        spoolLog.addAppender(logs);
    }

    @AfterEach
    void close() {
        spoolLog.detachAppender(logs);
        if (spool != null) {
            spool.close();
        }
    }

    @Test
    void dropOldestDeletesWhatTheDownSinkHasNotReadAndCountsIt() throws Exception {
        spool = new Spool(dir, new CheckpointStore(), new Spool.Bound(BOUND, SpoolOverflow.DROP_OLDEST));
        Reader sink = spool.reader("down");
        long maxOnDisk = 0;
        for (int i = 0; i < RECORDS; i++) {
            spool.append(record(i), List.of(new Checkpoint("source", IntNode.valueOf(i))));
            if (i % 1000 == 0) {
                maxOnDisk = Math.max(maxOnDisk, segmentBytesOnDisk());
            }
        }
        spool.flush();
        maxOnDisk = Math.max(maxOnDisk, segmentBytesOnDisk());

        assertThat(maxOnDisk).as("bytes on disk stay near the bound").isLessThanOrEqualTo(BOUND + SLACK);
        assertThat(spool.droppedRecords()).as("records dropped").isPositive();
        assertThat(spool.droppedBytes()).isPositive();

        // the sink comes back: it gets everything that was not dropped, each once, in order
        List<Integer> delivered = drain(sink);
        assertThat(delivered.get(0)).as("the cursor jumped past the dropped records").isPositive();
        assertThat(delivered).as("what is left arrives in order without gaps")
                .isEqualTo(range(delivered.get(0), RECORDS));
        assertThat(spool.droppedRecords()).as("delivered + dropped = written").isEqualTo(RECORDS - delivered.size());
        assertThat(warnings()).as("logged once").hasSize(1);
        assertThat(warnings().get(0)).contains("drop-oldest").contains("'down'");

        // the source's checkpoint survives the drop: a restart resumes after the last record
        spool.close();
        CheckpointStore reopened = new CheckpointStore();
        spool = new Spool(dir, reopened, new Spool.Bound(BOUND, SpoolOverflow.DROP_OLDEST));
        assertThat(reopened.get("source").asInt()).isEqualTo(RECORDS - 1);
    }

    @Test
    void blockHoldsTheSourceUntilTheSinkIsBackAndLosesNothing() throws Exception {
        spool = new Spool(dir, new CheckpointStore(), new Spool.Bound(BOUND, SpoolOverflow.BLOCK));
        Reader sink = spool.reader("down");
        AtomicInteger appended = new AtomicInteger();
        Thread source = new Thread(() -> {
            for (int i = 0; i < RECORDS; i++) {
                spool.append(record(i), List.of());
                appended.incrementAndGet();
            }
        }, "test-source");
        source.start();

        // the sink is down: the source stops, short of the whole input, the spool within its bound
        await().atMost(Duration.ofSeconds(20)).until(() -> source.getState() == Thread.State.TIMED_WAITING
                && warnings().size() == 1);
        int stalledAt = appended.get();
        Thread.sleep(500);
        assertThat(appended.get()).as("the source waits").isEqualTo(stalledAt).isLessThan(RECORDS);
        assertThat(segmentBytesOnDisk()).isLessThanOrEqualTo(BOUND + SLACK);
        assertThat(warnings().get(0)).contains("block").contains("'down'");

        // the sink comes back: the source finishes and every record arrives once, in order
        List<Integer> delivered = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (delivered.size() < RECORDS && System.nanoTime() < deadline) {
            Reader.Batch b = sink.next(64 * 1024, 100);
            b.records().lines().forEach(l -> delivered.add(number(l)));
            sink.commit(b.next(), null);
        }
        source.join(5000);
        assertThat(delivered).isEqualTo(range(0, RECORDS));
        assertThat(spool.droppedRecords()).isZero();
        assertThat(spool.blockedMillis()).as("time the source waited").isGreaterThanOrEqualTo(500);
        assertThat(warnings()).as("logged once").hasSize(1);
    }

    private List<Integer> drain(Reader sink) throws Exception {
        List<Integer> delivered = new ArrayList<>();
        while (true) {
            Reader.Batch b = sink.next(64 * 1024, 50);
            if (b.isEmpty() && b.next().equals(sink.position())) {
                return delivered;
            }
            b.records().lines().forEach(l -> delivered.add(number(l)));
            sink.commit(b.next(), null);
        }
    }

    private List<String> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private long segmentBytesOnDisk() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path f : files.filter(p -> p.toString().endsWith(".seg")).toList()) {
                total += Files.exists(f) ? Files.size(f) : 0;
            }
            return total;
        }
    }

    private static byte[] record(int n) {
        // about 120 bytes, like a short log record
        return ("{\"kind\":\"log\",\"n\":" + n + ",\"message\":\"" + "x".repeat(90) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static int number(byte[] line) {
        try {
            return Json.MAPPER.readTree(line).get("n").asInt();
        } catch (Exception e) {
            throw new AssertionError(new String(line, StandardCharsets.UTF_8), e);
        }
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> l = new ArrayList<>();
        for (int i = from; i < to; i++) {
            l.add(i);
        }
        return l;
    }
}
