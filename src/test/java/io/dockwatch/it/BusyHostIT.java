package io.dockwatch.it;

import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.dockwatch.record.Json;
import io.dockwatch.settings.Settings;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.ExtraDockerd;
import io.dockwatch.testing.RealDaemonTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One busy host (issue 12, item 11): many running containers, each printing a line every 10 s,
 * followed by one collector under the shipped {@code jvm.options}. What a user checks: every line
 * of every container arrives exactly once, a stats record for every container in every interval
 * (no "still being read from the last interval"), the old generation after a full GC within the
 * heap rule of docs/operations.md, hardly a full GC while the containers are quiet (a heap too
 * small for its host collects back to back), and the collector still up.
 *
 * <p>On a dockerd of its own ({@link ExtraDockerd}): the main daemon is shared with other tests,
 * whose collectors would follow every one of these containers. The count is
 * {@code -Dbusyhost.containers} (default {@value #DEFAULT_CONTAINERS}); the 1,000-container
 * figures of docs/operations.md were measured by hand (the command is there).
 */
class BusyHostIT extends RealDaemonTest {
    /**
     * What starts within the test's budget: the extra daemon (vfs storage) started 1.5 containers a
     * second on the 2-core test machine at load 30, fewer as they added up (1,000 took 32 minutes
     * at load 40-80), so 1,000 is a run by hand (docs/operations.md).
     */
    private static final int DEFAULT_CONTAINERS = 100;
    /** Lines each container prints, one every {@value #LINE_EVERY_S} s; then it sleeps, still running. */
    private static final int LINES = 12;
    private static final int LINE_EVERY_S = 10;
    /**
     * dockerd reads each container's stats from its shim one after the other: on the loaded test
     * machine it gave 17 one-shot answers a second at best (1,000 containers), so the interval
     * is sized for that (docs/operations.md says how), not the default 10 s.
     */
    private static final int STATS_INTERVAL_S = 20;
    private static final int PARALLEL = 12;
    private static final Pattern TENURED = Pattern.compile("tenured generation\\s+total (\\d+)K, used (\\d+)K");
    /** The heap rule of docs/operations.md: old generation after a full GC, a base and so much per followed container. */
    static final long RULE_BASE_KIB = 16 * 1024;
    static final long RULE_PER_CONTAINER_KIB = 20;
    /** Through the API a followed container takes more: a stream and its frames (27 KiB measured at 633). */
    static final long RULE_PER_CONTAINER_API_KIB = 30;
    /** Full collections allowed in the quiet window ({@code rounds × STATS_INTERVAL_S}). */
    private static final int MAX_FULL_GCS = 2;

    private final int count = Integer.getInteger("busyhost.containers", DEFAULT_CONTAINERS);
    @Test
    void everyLineOfEveryContainerOnceStatsEveryIntervalAndTheHeapWithinItsRule() throws Exception {
        try (ExtraDockerd dockerd = ExtraDockerd.start().withTestImage();
                DockerHttpClient api = new ZerodepDockerHttpClient.Builder().dockerHost(dockerd.unixUri())
                        .maxConnections(PARALLEL * 2).build();
                // both log paths at once, on the same containers: json-file logs read from the files
                // (the default on the daemon's own host) and through the API (a remote daemon's way)
                Collector files = collector(work.resolve("file"), dockerd, "file");
                Collector through = collector(work.resolve("api"), dockerd, "api")) {
            ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
            List<String> names = new ArrayList<>();
            long started;
            try {
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    names.add("busy-" + i);
                }
                run(pool, names, n -> runContainer(api, n));
                started = System.nanoTime();
                System.out.printf("BusyHostIT: %d containers started in %d s (%s)%n", count, (started - t0) / 1_000_000_000, uptime());
            } finally {
                pool.shutdownNow();
            }

            // the last container's last line is printed LINES × LINE_EVERY_S after its start
            int expected = count * LINES;
            long deadline = started + TimeUnit.SECONDS.toNanos((long) LINES * LINE_EVERY_S + 90);
            Map<Collector, Map<String, Integer>> lines = new LinkedHashMap<>();
            for (Collector c : List.of(files, through)) {
                while (true) {
                    lines.put(c, linesPerContainerAndLine(c));
                    if (lines.get(c).size() >= expected || System.nanoTime() > deadline) {
                        break;
                    }
                    Thread.sleep(5000);
                }
            }
            System.out.printf("BusyHostIT: lines %d (file) and %d (api) of %d after %d s%n", lines.get(files).size(),
                    lines.get(through).size(), expected, (System.nanoTime() - started) / 1_000_000_000);

            // stats: a record for every container in each interval of a window where all of them run
            // (the containers print nothing more by now: the window is also what a quiet host costs)
            Map<Collector, Map<String, Integer>> statsBefore = Map.of(files, statsPerContainer(files), through, statsPerContainer(through));
            Map<Collector, Map<String, Double>> cpuBefore = Map.of(files, threadCpu(files), through, threadCpu(through));
            Map<Collector, double[]> gcBefore = Map.of(files, fullGcs(files), through, fullGcs(through));
            int rounds = 4;
            long w0 = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis((long) rounds * STATS_INTERVAL_S));
            double window = (System.nanoTime() - w0) / 1e9;
            Map<Collector, Map<String, Integer>> statsAfter = Map.of(files, statsPerContainer(files), through, statsPerContainer(through));
            Map<Collector, double[]> gcAfter = Map.of(files, fullGcs(files), through, fullGcs(through));
            for (Collector c : List.of(files, through)) {
                Map<String, Double> after = threadCpu(c);
                StringBuilder sb = new StringBuilder();
                double total = 0;
                for (var e : after.entrySet()) {
                    double d = e.getValue() - cpuBefore.get(c).getOrDefault(e.getKey(), 0.0);
                    total += d;
                    if (d >= 0.05) {
                        sb.append(' ').append(e.getKey()).append('=').append(String.format("%.2f", d));
                    }
                }
                System.out.printf("BusyHostIT[%s]: CPU %.1f %% of a core over %.0f s of quiet containers; thread CPU s:%s%n",
                        c == files ? "file" : "api", 100 * total / window, window, sb);
            }

            for (Collector c : List.of(files, through)) {
                String path = c == files ? "file" : "api";
                long[] old = oldGenKib(c);
                String status = Files.readString(Path.of("/proc/" + c.pid() + "/status"));
                System.out.printf("BusyHostIT[%s]: %d containers; old generation after full GC %d KiB of %d KiB; %s; %s; %s%n",
                        path, count, old[1], old[0], field(status, "Threads"), field(status, "VmRSS"), uptime());
                System.out.println(String.join("\n", jcmd(c, "GC.class_histogram").lines().limit(30).toList()));

                // every line once: no container, no line missing, none twice
                Map<String, Integer> twice = new TreeMap<>();
                lines.get(c).forEach((k, n) -> {
                    if (n != 1) {
                        twice.put(k, n);
                    }
                });
                List<String> missing = new ArrayList<>();
                for (String n : names) {
                    for (int i = 1; i <= LINES; i++) {
                        if (!lines.get(c).containsKey(n + " line " + i)) {
                            missing.add(n + " line " + i);
                        }
                    }
                }
                assertThat(missing).as("lines missing (%s)", path).isEmpty();
                assertThat(twice).as("lines recorded more than once (%s)", path).isEmpty();

                List<String> fewer = new ArrayList<>();
                for (String n : names) {
                    int got = statsAfter.get(c).getOrDefault(n, 0) - statsBefore.get(c).getOrDefault(n, 0);
                    if (got < rounds - 1) { // the window's edges may cut one round
                        fewer.add(n + ": " + got);
                    }
                }
                assertThat(fewer).as("containers with fewer than %d stats records in %d intervals (%s)", rounds - 1, rounds, path)
                        .isEmpty();
                // (no check of the "still being read" warning: it is logged once, and the start-up burst,
                // 100 containers starting on a loaded daemon, may bring it before the window; the counts above are the check)

                // a heap too small for its host shows as full GCs back to back (1,000 containers in the
                // 64 MiB heap: 35 full GCs, 10.4 s, in 3 minutes, about 15 in this window): with room,
                // quiet containers promote so little that a window has hardly one. Counted, not timed:
                // a full GC's wall time on this loaded host says more about the load than the heap
                double fullGcs = gcAfter.get(c)[0] - gcBefore.get(c)[0];
                double fullGcSeconds = gcAfter.get(c)[1] - gcBefore.get(c)[1];
                System.out.printf("BusyHostIT[%s]: %.0f full GCs, %.2f s, in %.0f s%n", path, fullGcs, fullGcSeconds, window);
                assertThat(fullGcs).as("full GCs in %.0f s of quiet containers (%s), %.2f s of them", window, path, fullGcSeconds)
                        .isLessThanOrEqualTo(MAX_FULL_GCS);

                long perContainer = c == files ? RULE_PER_CONTAINER_KIB : RULE_PER_CONTAINER_API_KIB;
                long bound = RULE_BASE_KIB + perContainer * count;
                assertThat(old[1]).as("old generation after a full GC (KiB, %s), rule %d KiB + %d KiB × %d containers",
                        path, RULE_BASE_KIB, perContainer, count).isLessThanOrEqualTo(bound);
                assertThat(c.isAlive()).isTrue();
                assertThat(c.logText()).doesNotContain("OutOfMemoryError").doesNotContain("Exception in thread");
            }
            assertThat(files.stop()).isZero();
            assertThat(through.stop()).isZero();
            assertThat(files.logText() + through.logText()).as("a quiet stop").doesNotContain("RejectedExecutionException");
        }
    }

    private static Collector collector(Path work, ExtraDockerd dockerd, String read) {
        return new Collector(work)
                .with(Settings.DOCKER_HOSTS, dockerd.unixUri().toString())
                .with(Settings.LOGS_READ, read)
                .with(Settings.STATS_INTERVAL, STATS_INTERVAL_S + "s")
                // a start event Docker drops on this loaded host is caught up within this (default 5m, at most 1 min for logs)
                .with(Settings.CONTAINERS_RECONCILE_INTERVAL, "30s")
                .start();
    }

    /** CPU seconds per thread name (numbered pool threads summed). */
    private static Map<String, Double> threadCpu(Collector c) {
        Map<String, Double> m = new TreeMap<>();
        double tick = 100.0; // USER_HZ
        try (var tasks = Files.list(Path.of("/proc/" + c.pid() + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim().replaceAll("-?\\d+$", "-N");
                    String[] f = Files.readString(t.resolve("stat")).substring(Files.readString(t.resolve("stat")).lastIndexOf(')') + 2).split(" ");
                    m.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / tick, Double::sum);
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return m;
    }

    private static String uptime() {
        try {
            return "load " + Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "load ?";
        }
    }

    private static String field(String procStatus, String name) {
        return procStatus.lines().filter(l -> l.startsWith(name + ":")).findFirst().orElse(name + ": ?").replaceAll("\\s+", " ");
    }

    /** "busy-7 line 3" → how many records carry it. */
    private static Map<String, Integer> linesPerContainerAndLine(Collector c) {
        Map<String, Integer> m = new HashMap<>();
        for (JsonNode r : c.records(Collector.kind("log"))) {
            String key = r.path("container").path("name").asText() + " " + r.path("message").asText();
            m.merge(key, 1, Integer::sum);
        }
        return m;
    }

    private static Map<String, Integer> statsPerContainer(Collector c) {
        Map<String, Integer> m = new HashMap<>();
        for (JsonNode r : c.records(Collector.kind("stats"))) {
            m.merge(r.path("container").path("name").asText(), 1, Integer::sum);
        }
        return m;
    }

    private interface Call {
        void call(String arg) throws Exception;
    }

    private static void run(ExecutorService pool, List<String> args, Call call) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (String a : args) {
            done.add(pool.submit(() -> {
                call.call(a);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(10, TimeUnit.MINUTES);
        }
    }

    /** What {@code docker run -d} sends: create, then start. */
    private static void runContainer(DockerHttpClient api, String name) throws Exception {
        ObjectNode body = Json.NODES.objectNode().put("Image", TEST_IMAGE);
        body.putArray("Cmd").add("sh").add("-c").add("i=0; while [ $i -lt " + LINES + " ]; do i=$((i+1)); echo \"line $i\"; sleep "
                + LINE_EVERY_S + "; done; exec sleep 3600");
        body.putObject("HostConfig").put("NetworkMode", "none");
        call(api, Request.Method.POST, "/containers/create?name=" + name, Json.MAPPER.writeValueAsBytes(body));
        call(api, Request.Method.POST, "/containers/" + name + "/start", null);
    }

    private static void call(DockerHttpClient api, Request.Method method, String path, byte[] json) throws Exception {
        Request.Builder b = new Request.Builder().method(method).path(path);
        if (json != null) {
            b.putHeader("Content-Type", "application/json").bodyBytes(json);
        }
        try (var r = api.execute(b.build())) {
            byte[] answer = r.getBody().readAllBytes();
            if (r.getStatusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " answered " + r.getStatusCode() + ": "
                        + new String(answer, StandardCharsets.UTF_8));
            }
        }
    }

    /** {total, used} of the old generation after a full collection, in KiB (SerialGC's "tenured generation"). */
    private static long[] oldGenKib(Collector c) throws Exception {
        jcmd(c, "GC.run");
        String info = jcmd(c, "GC.heap_info");
        Matcher m = TENURED.matcher(info);
        assertThat(m.find()).as("tenured generation in:\n%s", info).isTrue();
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    /** {count, seconds} of full collections so far, from {@code jstat -gc} (its FGC and FGCT columns). */
    private static double[] fullGcs(Collector c) throws Exception {
        Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
        Process p = new ProcessBuilder(jstat.toString(), "-gc", Long.toString(c.pid())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> rows = out.lines().filter(l -> !l.isBlank()).toList();
        assertThat(rows).as("jstat -gc %d:%n%s", c.pid(), out).hasSizeGreaterThanOrEqualTo(2);
        List<String> head = List.of(rows.get(rows.size() - 2).trim().split("\\s+"));
        String[] row = rows.get(rows.size() - 1).trim().split("\\s+");
        assertThat(head).as("jstat -gc columns: %s", head).contains("FGC", "FGCT");
        return new double[] {Double.parseDouble(row[head.indexOf("FGC")]), Double.parseDouble(row[head.indexOf("FGCT")])};
    }

    private static String jcmd(Collector c, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(c.pid()), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
