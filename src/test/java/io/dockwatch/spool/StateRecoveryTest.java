package io.dockwatch.spool;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dockwatch.cluster.SharedCheckpoints;
import io.dockwatch.record.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Damaged state of each kind (spool segment, checkpoint snapshot, sink cursor, shared checkpoint):
 * the spool opens anyway, says once which file and what it skipped, counts it, and delivers
 * every whole record it still has.
 */
class StateRecoveryTest {
    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();

    @BeforeEach
    void captureWarnings() {
        warnings.start();
        ((Logger) LoggerFactory.getLogger(StateRecovery.class)).addAppender(warnings);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger(StateRecovery.class)).detachAppender(warnings);
    }

    private static byte[] rec(int i) {
        return ("{\"kind\":\"log\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static Checkpoint cp(int i) {
        return new Checkpoint("src", Json.NODES.objectNode().put("n", i));
    }

    /** Records 1..n, each with its checkpoint, then a clean close (which writes the snapshot). */
    private void writeRecords(int n) {
        try (Spool spool = new Spool(dir, new CheckpointStore())) {
            for (int i = 1; i <= n; i++) {
                spool.append(rec(i), List.of(cp(i)));
                spool.flush();
            }
        }
    }

    private Path segment() throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    private static List<Integer> drain(Reader r) throws Exception {
        List<Integer> out = new ArrayList<>();
        while (true) {
            Reader.Batch b = r.next(64 * 1024, 50);
            if (b.isEmpty() && b.next().equals(r.position())) {
                return out;
            }
            for (byte[] l : b.records().lines()) {
                out.add(Json.MAPPER.readTree(l).path("n").asInt());
            }
            r.commit(b.next(), null);
        }
    }

    private List<String> warned() {
        return warnings.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aGarbageCheckpointSnapshotIsSkippedAndPositionsComeFromTheSegment() throws Exception {
        writeRecords(3);
        Files.writeString(dir.resolve("checkpoints.json"), "{\"segment\":1,\"offs");

        CheckpointStore store = new CheckpointStore();
        try (Spool spool = new Spool(dir, store)) {
            assertThat(store.get("src").path("n").asInt()).isEqualTo(3);
            assertThat(drain(spool.reader("sink"))).containsExactly(1, 2, 3);
        }
        assertThat(warned()).singleElement().asString().contains("checkpoints.json").contains("not valid JSON");
        assertThat(store.recovery().counts()).containsEntry(dir.resolve("checkpoints.json").toString(), 1L);
    }

    @Test
    void anEmptyCheckpointSnapshotAfterAPowerLossIsSkipped() throws Exception {
        writeRecords(2);
        Files.write(dir.resolve("checkpoints.json"), new byte[0]);

        CheckpointStore store = new CheckpointStore();
        try (Spool spool = new Spool(dir, store)) {
            assertThat(store.get("src").path("n").asInt()).isEqualTo(2);
        }
        assertThat(warned()).singleElement().asString().contains("checkpoints.json").contains("empty");
    }

    @Test
    void aGarbageLineAtTheEndOfTheSpoolIsCutWithEverythingAfterItSoSourcesReadItAgain() throws Exception {
        writeRecords(2);
        Path seg = segment();
        // written after the snapshot: a garbage line, then a record and its checkpoint
        Files.write(seg, ("garbage\n" + new String(rec(3)) + "\n#{\"src\":{\"n\":3}}\n").getBytes(), StandardOpenOption.APPEND);
        long before = Files.size(seg);

        CheckpointStore store = new CheckpointStore();
        try (Spool spool = new Spool(dir, store)) {
            assertThat(store.get("src").path("n").asInt()).as("the source goes back before the damage").isEqualTo(2);
            assertThat(drain(spool.reader("sink"))).containsExactly(1, 2);
            spool.append(rec(3), List.of(cp(3)));
            spool.flush();
            assertThat(drain(spool.reader("sink"))).as("read again, after the cut").containsExactly(3);
        }
        assertThat(Files.size(seg)).isLessThan(before + 1);
        assertThat(warned()).singleElement().asString().contains(seg.getFileName().toString()).contains("damaged line");
        assertThat(store.recovery().total()).isEqualTo(1);
    }

    @Test
    void nulBytesWhereAPowerLossLostDataAreCutLikeGarbage() throws Exception {
        writeRecords(1);
        Path seg = segment();
        byte[] zeros = new byte[4096];
        zeros[zeros.length - 1] = '\n';
        Files.write(seg, zeros, StandardOpenOption.APPEND);

        CheckpointStore store = new CheckpointStore();
        try (Spool spool = new Spool(dir, store)) {
            assertThat(drain(spool.reader("sink"))).containsExactly(1);
        }
        assertThat(warned()).singleElement().asString().contains("damaged line");
    }

    @Test
    void aTornCheckpointLineIsCutAndTheSourceResumesFromTheOneBefore() throws Exception {
        writeRecords(2);
        Path seg = segment();
        Files.write(seg, (new String(rec(3)) + "\n#{\"src\":{\"n\"\n").getBytes(), StandardOpenOption.APPEND);

        CheckpointStore store = new CheckpointStore();
        try (Spool spool = new Spool(dir, store)) {
            assertThat(store.get("src").path("n").asInt()).isEqualTo(2);
        }
        assertThat(warned()).singleElement().asString().contains("damaged line");
    }

    @Test
    void aGarbageLineInsideWhatTheSnapshotCoversIsSkippedBySinksAndCounted() throws Exception {
        writeRecords(3);
        Path seg = segment();
        String content = Files.readString(seg);
        // overwrite record 2 in place (same length): damage start-up does not walk
        String two = new String(rec(2));
        Files.writeString(seg, content.replace(two, "x".repeat(two.length())));

        CheckpointStore store = new CheckpointStore();
        try (Spool spool = new Spool(dir, store)) {
            assertThat(drain(spool.reader("sink"))).containsExactly(1, 3);
        }
        assertThat(warned()).singleElement().asString().contains("sink 'sink' skipped");
        assertThat(store.recovery().total()).isEqualTo(1);
    }

    @Test
    void aGarbageOrEmptyCursorStartsTheSinkFromTheOldestRecord() throws Exception {
        writeRecords(2);
        Files.createDirectories(dir.resolve("readers"));
        for (String damaged : List.of("", "{\"segment\":1,", "[1,2]")) {
            Files.writeString(dir.resolve("readers/sink.json"), damaged);
            CheckpointStore store = new CheckpointStore();
            try (Spool spool = new Spool(dir, store)) {
                Reader r = spool.reader("sink");
                assertThat(drain(r)).containsExactly(1, 2);
                r.close();
            }
            assertThat(warned()).last().asString().contains("readers/sink.json").contains("starts again from the oldest");
        }
        assertThat(warned()).hasSize(3);
    }

    @Test
    void aCursorPastTheEndOfTheSpoolGoesBackToItsEnd() throws Exception {
        writeRecords(2);
        Files.createDirectories(dir.resolve("readers"));
        Files.writeString(dir.resolve("readers/sink.json"), "{\"segment\":1,\"offset\":999999}");

        try (Spool spool = new Spool(dir, new CheckpointStore())) {
            Reader r = spool.reader("sink");
            assertThat(drain(r)).isEmpty();
            spool.append(rec(3), List.of(cp(3)));
            spool.flush();
            assertThat(drain(r)).as("a new record is not skipped").containsExactly(3);
        }
        assertThat(warned()).singleElement().asString().contains("points past the end");
    }

    @Test
    void anEmptySharedCheckpointIsReadAsNoneAndCounted() throws Exception {
        CheckpointStore store = new CheckpointStore();
        Path shared = dir.resolve("cluster");
        Files.createDirectories(shared);
        Files.write(shared.resolve("swarm-events.json"), new byte[0]);
        try (SharedCheckpoints s = new SharedCheckpoints(shared, store)) {
            assertThat(s.read("swarm-events")).isNull();
        }
        assertThat(store.recovery().total()).isEqualTo(1);
        assertThat(warned()).singleElement().asString().contains("swarm-events.json").contains("empty");
    }
}
