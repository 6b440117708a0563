package io.dockwatch.it;

import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.docker.DockerEndpoint;
import io.dockwatch.record.Json;
import io.dockwatch.settings.Settings;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.RealDaemonTest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-container state is dropped when containers are destroyed: 2,000 containers created and
 * destroyed leave the state dir and the collector's old generation (after a full GC) near where
 * they were before.
 */
class StateBoundsIT extends RealDaemonTest {
    private static final int CONTAINERS = 2000;
    /** Parallel API requests: the daemon, not the client, is the limit (about 30 creates a second here). */
    private static final int PARALLEL = 16;
    private static final Pattern TENURED = Pattern.compile("tenured generation\\s+total \\d+K, used (\\d+)K");

    private final String prefix = Docker.uniqueName("state");
    private final DockerDaemon api = new DockerDaemon(DockerEndpoint.of(URI.create("unix:///var/run/docker.sock"), System.getenv()));
    private final ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);

    @AfterEach
    void removeWhatIsLeft() throws Exception {
        List<String> left = new ArrayList<>();
        api.connect();
        api.get("/containers/json?all=1&filters=" + java.net.URLEncoder.encode("{\"name\":[\"" + prefix + "\"]}",
                StandardCharsets.UTF_8)).forEach(c -> left.add(c.path("Id").asText()));
        removeAll(left);
        pool.shutdownNow();
        api.close();
    }

    private interface Call {
        void call(String arg) throws Exception;
    }

    private void run(List<String> args, Call call) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (String a : args) {
            done.add(pool.submit(() -> {
                call.call(a);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(5, TimeUnit.MINUTES);
        }
    }

    /** What {@code docker create} sends: a container with a few env vars and labels, as real ones have. */
    private void create(String name) throws Exception {
        ObjectNode body = Json.NODES.objectNode().put("Image", TEST_IMAGE);
        body.putArray("Cmd").add("sleep").add("1");
        body.putArray("Env").add("MODE=blue").add("API_TOKEN=secret").add("TZ=UTC");
        body.putObject("Labels").put("team", "state-test").put("tier", "web");
        body.putObject("HostConfig").put("NetworkMode", "none").put("Memory", 32L * 1024 * 1024);
        try (var r = api.post("/containers/create?name=" + name, body)) {
            r.getBody().readAllBytes();
        }
    }

    /** {@code docker rm -f} of many names at once, several such commands in parallel. */
    private void removeAll(List<String> names) throws Exception {
        List<String> batches = new ArrayList<>();
        for (int i = 0; i < names.size(); i += 50) {
            batches.add(String.join(" ", names.subList(i, Math.min(names.size(), i + 50))));
        }
        List<Future<?>> done = new ArrayList<>();
        for (String batch : batches) {
            done.add(pool.submit(() -> Docker.tryDocker(Stream.concat(Stream.of("rm", "-f"), Stream.of(batch.split(" ")))
                    .toArray(String[]::new))));
        }
        for (Future<?> f : done) {
            f.get(5, TimeUnit.MINUTES);
        }
    }

    private List<String> names(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + "-" + i).toList();
    }

    private static long dirBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static long checkpointKeys(Path state) throws IOException {
        Path snapshot = state.resolve("spool/records/checkpoints.json");
        JsonNode n = Json.MAPPER.readTree(snapshot.toFile());
        return n.path("positions").size();
    }

    /** Old generation in use after a full collection, in KiB (SerialGC's "tenured generation"). */
    private static long oldGenKib(Collector c) throws Exception {
        jcmd(c, "GC.run");
        String info = jcmd(c, "GC.heap_info");
        Matcher m = TENURED.matcher(info);
        assertThat(m.find()).as("tenured generation in:\n%s", info).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String jcmd(Collector c, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(c.pid()), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private Predicate<JsonNode> destroyOfOurs() {
        return kind("event").and(r -> "destroy".equals(r.path("event").path("action").asText()))
                .and(r -> r.path("container").path("name").asText().startsWith(prefix + "-"));
    }

    /** Creates and destroys {@code names}; returns once the collector recorded every destroy. */
    private void createAndDestroy(Collector c, List<String> names, int destroyedBefore) throws Exception {
        run(names, this::create);
        removeAll(names);
        c.awaitRecords(destroyOfOurs(), destroyedBefore + names.size(), Duration.ofMinutes(2));
    }

    @Test
    void twoThousandContainersCreatedAndDestroyedLeaveStateDirAndOldGenerationNearTheirBaseline() throws Exception {
        Path state = work.resolve("state");
        api.connect();
        try (Collector collector = new Collector(work)
                // small spool segments, so the records of the test (some MB) leave the state dir once written out
                .with(Settings.SPOOL_MAX_BYTES, "1mb")
                // gone workloads' drift state is dropped after this (the default, 7d, is for production)
                .with(Settings.DRIFT_RETENTION, "5s")
                // logs and stats of other containers on the shared daemon would only blur the measurement
                .with(Settings.CONTAINERS_INCLUDE, prefix + "-*")
                .start()) {
            // warm-up: the same path once, small, so classes and caches are in the baseline
            long t0 = System.nanoTime();
            createAndDestroy(collector, names(0, 100), 0);
            Thread.sleep(7000); // the drift retention, and its sweep
            long baseState = dirBytes(state);
            long baseKeys = checkpointKeys(state);
            long baseOld = oldGenKib(collector);

            long t1 = System.nanoTime();
            List<String> many = names(100, 100 + CONTAINERS);
            run(many, this::create);
            long t2 = System.nanoTime();
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> checkpointKeys(state) >= baseKeys + CONTAINERS);
            long peakState = dirBytes(state);
            long peakKeys = checkpointKeys(state);
            long peakOld = oldGenKib(collector);

            long t3 = System.nanoTime();
            removeAll(many);
            long t4 = System.nanoTime();
            collector.awaitRecords(destroyOfOurs(), 100 + CONTAINERS, Duration.ofMinutes(2));
            Thread.sleep(7000); // the drift retention, and its sweep
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> checkpointKeys(state) <= baseKeys);
            long afterState = dirBytes(state);
            long afterKeys = checkpointKeys(state);
            long afterOld = oldGenKib(collector);

            System.out.printf("StateBoundsIT: warm-up %d s, %d creates %d s, %d removes %d s; checkpoint keys %d -> %d -> %d; "
                            + "state dir %d -> %d -> %d KiB; old generation %d -> %d -> %d KiB%n",
                    (t1 - t0) / 1_000_000_000, CONTAINERS, (t2 - t1) / 1_000_000_000, CONTAINERS, (t4 - t3) / 1_000_000_000,
                    baseKeys, peakKeys, afterKeys, baseState / 1024, peakState / 1024, afterState / 1024, baseOld, peakOld, afterOld);
            assertThat(collector.isAlive()).isTrue();
            // the state grew with the containers (drift state per workload, at least)...
            assertThat(peakKeys).isGreaterThanOrEqualTo(baseKeys + CONTAINERS);
            // ...and went back: no key left of them, the state dir within one small spool segment of the baseline
            assertThat(afterKeys).isLessThanOrEqualTo(baseKeys);
            assertThat(afterState).isLessThanOrEqualTo(baseState + 256 * 1024);
            // the old generation keeps at most the last destroyed containers' metadata for a while (bounded)
            assertThat(afterOld).isLessThanOrEqualTo(baseOld + 3 * 1024);
            assertThat(collector.stop()).isZero();
        }
    }
}
