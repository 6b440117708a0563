package io.dockwatch.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.dockwatch.record.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir
    Path dir;

    private static byte[] rec(int i) {
        return ("{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"kind\":\"log\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static Checkpoint cp(String key, int i) {
        return new Checkpoint(key, Json.NODES.objectNode().put("n", i));
    }

    private static List<String> drain(Reader r) throws Exception {
        List<String> out = new ArrayList<>();
        while (true) {
            Reader.Batch b = r.next(64 * 1024, 50);
            if (b.isEmpty() && b.next().equals(r.position())) {
                return out;
            }
            b.records().lines().forEach(l -> out.add(new String(l, StandardCharsets.UTF_8)));
            r.commit(b.next(), null, true); // as the file sink commits: saved once caught up
        }
    }

    @Test
    void readersGetEveryRecordOnceAndKeepTheirOwnCursor() throws Exception {
        try (Spool spool = new Spool(dir, new CheckpointStore())) {
            for (int i = 0; i < 1000; i++) {
                spool.append(rec(i), List.of(cp("src", i)));
            }
            spool.flush();
            Reader a = spool.reader("a");
            Reader b = spool.reader("b");

            assertThat(drain(a)).hasSize(1000).first().asString().contains("\"n\":0");
            spool.append(rec(1000), List.of(cp("src", 1000)));
            spool.flush();
            assertThat(drain(a)).hasSize(1);
            assertThat(drain(b)).hasSize(1001);
        }
    }

    @Test
    void checkpointsAreRecoveredFromTheSpoolAfterACrashWithoutClose() throws Exception {
        CheckpointStore first = new CheckpointStore();
        Spool spool = new Spool(dir, first);
        for (int i = 0; i < 10; i++) {
            spool.append(rec(i), List.of(cp("src", i)));
        }
        spool.flush();
        // buffered: lost with the process, unless the 50 ms background flush got to it first (a
        // loaded machine can take that long between these lines); either way records and positions agree
        spool.append(rec(10), List.of(cp("src", 10)));

        // no close(): as after SIGKILL, only what was flushed counts, records and positions alike
        CheckpointStore recovered = new CheckpointStore();
        try (Spool again = new Spool(dir, recovered)) {
            int records = drain(again.reader("sink")).size();
            assertThat(records).isBetween(10, 11);
            assertThat(recovered.get("src").path("n").asInt()).isEqualTo(records - 1);
        }
    }

    @Test
    void aTornWriteIsDroppedWithItsCheckpoint() throws Exception {
        try (Spool spool = new Spool(dir, new CheckpointStore())) {
            spool.append(rec(1), List.of(cp("src", 1)));
        }
        Path seg = Files.list(dir).filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        Files.write(seg, "{\"@timestamp\":\"x\",\"kind\":\"log\",\"n\":2}\n#{\"src\":{\"n\":2".getBytes(), StandardOpenOption.APPEND);

        CheckpointStore recovered = new CheckpointStore();
        try (Spool again = new Spool(dir, recovered)) {
            assertThat(recovered.get("src").path("n").asInt()).isEqualTo(1);
            assertThat(Files.readString(seg)).endsWith("\n");
        }
    }

    @Test
    void recordsWrittenWhileAReaderIsAwayAreDeliveredWhenItReturns() throws Exception {
        try (Spool spool = new Spool(dir, new CheckpointStore())) {
            Reader r = spool.reader("slow");
            spool.append(rec(1), List.of());
            spool.flush();
            assertThat(drain(r)).hasSize(1);
            r.close();
            spool.append(rec(2), List.of());
            spool.append(rec(3), List.of());
            spool.flush();
        }
        try (Spool again = new Spool(dir, new CheckpointStore())) {
            assertThat(drain(again.reader("slow"))).hasSize(2);
        }
    }

    @Test
    void aCommitThatMayWaitIsRepeatedAfterACrashUntilSavedAndItsSegmentsStayTillThen() throws Exception {
        // small segments (64 KiB), and a sync interval no test run reaches: only catching up saves
        Spool.Bound small = new Spool.Bound(512 * 1024, SpoolOverflow.BLOCK);
        Spool spool = new Spool(dir, new CheckpointStore(), small, java.time.Duration.ofHours(1));
        Reader r = spool.reader("file"); // before the records: segments no reader needs may go
        int total = 3000; // about 200 KiB: several segments
        for (int i = 0; i < total; i++) {
            spool.append(rec(i), List.of(cp("src", i)));
        }
        spool.flush();
        int delivered = 0;
        while (delivered < total) { // every record, but never asking again once all are there
            Reader.Batch b = r.next(16 * 1024, 50);
            delivered += b.records().size();
            r.commit(b.next(), null, true);
        }
        assertThat(r.position().segment()).as("the reader went through several segments").isGreaterThan(0);
        // a snapshot (every 2 s) removes segments every reader's saved cursor has passed: none here
        Thread.sleep(2100);
        spool.append(rec(total), List.of(cp("src", total)));
        spool.flush();

        // no close(): as after SIGKILL. The cursor file was never written: all comes again
        Spool again = new Spool(dir, new CheckpointStore(), small, java.time.Duration.ofHours(1));
        Reader resumed = again.reader("file");
        List<String> first = drain(resumed); // ends caught up, which saves a waiting commit
        assertThat(first).hasSize(total + 1).first().asString().contains("\"n\":0");
        Spool third = new Spool(dir, new CheckpointStore(), small, java.time.Duration.ofHours(1));
        assertThat(drain(third.reader("file"))).as("saved once caught up: nothing again").isEmpty();
        spool.close();
        again.close();
        third.close();
    }

    @Test
    void theWordAtATimeNewlineScanFindsEveryNewlineWhereverItIs() {
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] data = new byte[random.nextInt(40)];
            for (int i = 0; i < data.length; i++) {
                int r = random.nextInt(10);
                data[i] = (byte) (r == 0 ? '\n' : r == 1 ? 0x8A : r == 2 ? 0x0B : 'a' + r);
            }
            int from = data.length == 0 ? 0 : random.nextInt(data.length);
            int expected = -1;
            for (int i = from; i < data.length; i++) {
                if (data[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            assertThat(Reader.nextNewline(data, from, data.length)).as("round %d", round).isEqualTo(expected);
        }
    }
}
