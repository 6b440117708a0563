package io.dockwatch.spool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What fsync costs the spool: one source appends log-sized records in batches with their
 * checkpoint (as the log source does) while one sink drains them and commits its cursor after
 * each batch (as the spool consumer does), on a real disk, with the segments forced at every
 * flush, every 200 ms (the default group commit), and only when a snapshot is due (about the
 * old behaviour, which never forced anything). Prints lines/s and process CPU per million lines.
 *
 * <pre>
 *   java -cp target/classes:target/test-classes:$(cat cp.txt) io.dockwatch.spool.SyncCostBench [DIR] [LINES]
 * </pre>
 * Not a test: a bench with its load in the repo, run by hand (see docs/durability.md).
 */
public final class SyncCostBench {
    private static final int BATCH = 100;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "target/sync-bench");
        int total = args.length > 1 ? Integer.parseInt(args[1]) : 3_000_000;
        byte[] line = ("{\"@timestamp\":\"2026-12-02T09:00:00.000000000Z\",\"kind\":\"log\",\"container\":{\"name\":\"bench\"},"
                + "\"message\":\"" + "x".repeat(100) + "\",\"log\":{\"stream\":\"stdout\"}}\n").getBytes(StandardCharsets.UTF_8);
        byte[] batch = new byte[line.length * BATCH];
        for (int i = 0; i < BATCH; i++) {
            System.arraycopy(line, 0, batch, i * line.length, line.length);
        }
        List<Object[]> modes = List.of(new Object[] {"snapshot only (2 s)", Duration.ofDays(1)},
                new Object[] {"group commit 200ms", Duration.ofMillis(200)}, new Object[] {"every flush", Duration.ZERO});
        for (int round = 0; round < 2; round++) { // the first round warms the JIT and the disk
            for (Object[] mode : modes) {
                Path dir = root.resolve("run-" + round + "-" + ((String) mode[0]).replaceAll("\\W+", "-"));
                delete(dir);
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                int lines = round == 0 ? total / 5 : total;
                try (Spool spool = new Spool(dir, new CheckpointStore(), Spool.Bound.UNBOUNDED, (Duration) mode[1])) {
                    Reader reader = spool.reader("sink");
                    long[] delivered = {0};
                    Thread sink = new Thread(() -> {
                        try {
                            while (delivered[0] < lines) {
                                Reader.Batch b = reader.next(1024 * 1024, 100);
                                delivered[0] += b.records().size();
                                reader.commit(b.next(), null);
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    sink.start();
                    for (int n = 0; n < lines; n += BATCH) {
                        ObjectNode pos = Json.NODES.objectNode().put("n", n);
                        spool.appendLines(batch, List.of(new Checkpoint("bench", pos)));
                    }
                    spool.flush();
                    sink.join();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                double cpu = (processCpuNanos() - cpu0) / 1e9;
                if (round == 1) {
                    System.out.printf("%-22s %9.0f lines/s  %6.2f CPU-s per 1M lines  (%.1f s)%n", mode[0], lines / s,
                            cpu * 1_000_000 / lines, s);
                }
                delete(dir);
            }
        }
        cursorWrites(root, 500);
        for (Object[] mode : modes) {
            trickle(root, (Duration) mode[1], (String) mode[0], 10);
        }
    }

    /** One small state file (a sink cursor) replaced n times: with the syncs, and as before them. */
    private static void cursorWrites(Path root, int n) throws Exception {
        Path dir = root.resolve("cursor");
        Files.createDirectories(dir);
        byte[] cursor = "{\"segment\":12,\"offset\":123456,\"sink_state\":{\"seq\":3,\"size\":1234567}}".getBytes();
        for (int synced = 0; synced < 2; synced++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (synced == 1) {
                    StateFiles.writeAtomically(dir.resolve("c.json"), cursor);
                } else {
                    Path tmp = dir.resolve("c.json.tmp");
                    Files.write(tmp, cursor);
                    Files.move(tmp, dir.resolve("c.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.out.printf("cursor write %-14s %8.0f us each%n", synced == 1 ? "fsync+dir" : "no fsync",
                    (System.nanoTime() - t0) / 1e3 / n);
        }
        delete(dir);
    }

    /** A steady source (one record per ms, a flush every 50 ms): what the group commit costs a quiet host. */
    private static void trickle(Path root, Duration sync, String label, int seconds) throws Exception {
        Path dir = root.resolve("trickle");
        delete(dir);
        byte[] line = ("{\"kind\":\"log\",\"message\":\"" + "x".repeat(150) + "\"}").getBytes();
        long cpu0 = processCpuNanos();
        int n = 0;
        try (Spool spool = new Spool(dir, new CheckpointStore(), Spool.Bound.UNBOUNDED, sync)) {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                spool.append(line, List.of(new Checkpoint("bench", Json.NODES.objectNode().put("n", n++))));
                Thread.sleep(1);
            }
        }
        System.out.printf("trickle %-22s %6.1f CPU-ms per s over %d s (%d lines)%n", label,
                (processCpuNanos() - cpu0) / 1e6 / seconds, seconds, n);
        delete(dir);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void delete(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
