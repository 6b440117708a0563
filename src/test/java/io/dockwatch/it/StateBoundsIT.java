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
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.RealDaemonTest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-container state is dropped when containers are destroyed: {@value #CONTAINERS} containers
 * created and destroyed leave the state dir and the collector's old generation (after a full GC) near where
 * they were before.
 */
class StateBoundsIT extends RealDaemonTest {
    /**
     * The issue asks for 2,000; on the shared 2-core test machine (load 40-50) the daemon removed
     * about 6.5 containers a second, and 2,000 took 7.5 minutes (passing). 1,000 keeps the test
     * near the 3-minute budget there and proves the same: state grows with the containers and
     * goes back to its baseline.
     */
    private static final int CONTAINERS = 1000;
    /** Parallel API requests: the daemon, not the client, is the limit (about 30 creates a second here). */
    private static final int PARALLEL = 16;
    private static final Pattern TENURED = Pattern.compile("tenured generation\\s+total \\d+K, used (\\d+)K");

    private final String prefix = Docker.uniqueName("state");
    /** docker-java's plain transport: creates and removes through the API, many at once (the CLI is several times slower). */
    private final DockerHttpClient api = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create("unix:///var/run/docker.sock"))
            .maxConnections(PARALLEL * 2).build();
    private final ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);

    @AfterEach
    void removeWhatIsLeft() throws Exception {
        List<String> left = new ArrayList<>();
        String filter = URLEncoder.encode("{\"name\":[\"" + prefix + "\"]}", StandardCharsets.UTF_8);
        try (var r = api.execute(new Request.Builder().method(Request.Method.GET).path("/containers/json?all=1&filters=" + filter).build())) {
            Json.MAPPER.readTree(r.getBody()).forEach(c -> left.add(c.path("Id").asText()));
        }
        run(left, this::remove);
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
        call(Request.Method.POST, "/containers/create?name=" + name, Json.MAPPER.writeValueAsBytes(body));
    }

    /** What {@code docker rm -f} sends. */
    private void remove(String name) throws Exception {
        call(Request.Method.DELETE, "/containers/" + name + "?force=1", null);
    }

    private void call(Request.Method method, String path, byte[] json) throws Exception {
        Request.Builder b = new Request.Builder().method(method).path(path);
        if (json != null) {
            b.putHeader("Content-Type", "application/json").bodyBytes(json);
        }
        try (var r = api.execute(b.build())) {
            byte[] answer = r.getBody().readAllBytes();
            if (r.getStatusCode() >= 300 && r.getStatusCode() != 404) {
                throw new IllegalStateException(method + " " + path + " answered " + r.getStatusCode() + ": "
                        + new String(answer, StandardCharsets.UTF_8));
            }
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

    private static JsonNode checkpoints(Path state) throws IOException {
        Path snapshot = state.resolve("spool/records/checkpoints.json");
        if (!Files.exists(snapshot)) {
            return Json.NODES.objectNode(); // the spool has not written its first snapshot yet
        }
        return Json.MAPPER.readTree(snapshot.toFile()).path("positions");
    }

    /** Checkpoint keys that name one of this test's containers (drift keys carry the workload: the name). */
    private long ourKeys(Path state) throws IOException {
        long n = 0;
        for (var it = checkpoints(state).fieldNames(); it.hasNext();) {
            if (it.next().contains(prefix)) {
                n++;
            }
        }
        return n;
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

    /** Waits until no checkpoint names a container of this test: destroyed, and gone workloads' drift state expired. */
    private void awaitNoKeyOfOurs(Path state) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> ourKeys(state) == 0);
    }

    @Test
    void aThousandContainersCreatedAndDestroyedLeaveStateDirAndOldGenerationNearTheirBaseline() throws Exception {
        Path state = work.resolve("state");
        try (Collector collector = new Collector(work)
                // small spool segments, so the records of the test (some MB) leave the state dir once written out
                .with(Settings.SPOOL_MAX_BYTES, "1mb")
                // gone workloads' drift state is dropped after this (the default, 7d, is for production)
                .with(Settings.DRIFT_RETENTION, "5s")
                // events Docker dropped on this loaded, shared daemon are caught up by the listing (default 5m)
                .with(Settings.CONTAINERS_RECONCILE_INTERVAL, "10s")
                // logs and stats of other containers on the shared daemon would only blur the measurement
                .with(Settings.CONTAINERS_INCLUDE, prefix + "-*")
                .start()) {
            // warm-up: the same path once, small, so classes and caches are in the baseline
            long t0 = System.nanoTime();
            List<String> few = names(0, 20);
            run(few, this::create);
            Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).until(() -> ourKeys(state) >= 20);
            run(few, this::remove);
            awaitNoKeyOfOurs(state);
            long baseState = dirBytes(state);
            long baseKeys = checkpoints(state).size();
            long baseOld = oldGenKib(collector);

            long t1 = System.nanoTime();
            List<String> many = names(20, 20 + CONTAINERS);
            run(many, this::create);
            long t2 = System.nanoTime();
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> ourKeys(state) >= CONTAINERS);
            long peakState = dirBytes(state);
            long peakKeys = checkpoints(state).size();
            long peakOld = oldGenKib(collector);

            long t3 = System.nanoTime();
            run(many, this::remove);
            long t4 = System.nanoTime();
            awaitNoKeyOfOurs(state);
            long afterState = dirBytes(state);
            long afterKeys = checkpoints(state).size();
            long afterOld = oldGenKib(collector);

            System.out.printf("StateBoundsIT: warm-up %d s, %d creates %d s, %d removes %d s; checkpoint keys %d -> %d -> %d; "
                            + "state dir %d -> %d -> %d KiB; old generation %d -> %d -> %d KiB%n",
                    (t1 - t0) / 1_000_000_000, CONTAINERS, (t2 - t1) / 1_000_000_000, CONTAINERS, (t4 - t3) / 1_000_000_000,
                    baseKeys, peakKeys, afterKeys, baseState / 1024, peakState / 1024, afterState / 1024, baseOld, peakOld, afterOld);
            assertThat(collector.isAlive()).isTrue();
            // no key of the test's containers is left (drift state, once the 5 s retention passed, included);
            // the total is only printed: other containers of the shared daemon come and go meanwhile
            assertThat(ourKeys(state)).isZero();
            // the state dir within one small spool segment of the baseline
            assertThat(afterState).isLessThanOrEqualTo(baseState + 256 * 1024);
            // the old generation keeps at most the last destroyed containers' metadata for a while (bounded)
            assertThat(afterOld).isLessThanOrEqualTo(baseOld + 3 * 1024);
            assertThat(collector.stop()).isZero();
        }
    }
}
