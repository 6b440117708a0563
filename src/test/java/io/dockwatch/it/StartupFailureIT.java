package io.dockwatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dockwatch.testing.Collector;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar started with something it cannot work with: it must exit non-zero within seconds,
 * say in one line what is wrong, and leave no process behind. Before, a route naming an unknown
 * component left the JVM running (the HTTP server's thread), answering health checks and
 * ignoring SIGTERM: an orchestrator saw a healthy collector that collected nothing.
 */
class StartupFailureIT {
    /**
     * A JVM start with Camel on this shared, loaded machine takes 3-8 s; the point is "seconds,
     * not never": the process before the fix never exited.
     */
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(20);

    @TempDir
    Path work;

    @Test
    void badYamlInTheRoutesFolder() throws Exception {
        Path routes = routes("""
                - route:
                    from:
                      uri: "docker-events:all
                      steps:
                        - to: spool:records
                """);
        Failure f = run(Map.of("dockwatch.routes", routes.toString()));
        f.assertOneLineNaming("routes.camel.yaml", "line 3");
    }

    @Test
    void aRouteNamingAnUnknownComponent() throws Exception {
        Path routes = routes("""
                - route:
                    id: to-nowhere
                    from:
                      uri: docker-events:all
                      steps:
                        - to: nosuchcomponent:x
                """);
        Failure f = run(Map.of("dockwatch.routes", routes.toString()));
        f.assertOneLineNaming("to-nowhere", "nosuchcomponent");
    }

    @Test
    void anUnknownOptionOnADockwatchComponent() throws Exception {
        Path routes = routes("""
                - route:
                    id: misspelt
                    from:
                      uri: docker-events:all?backlogg=all
                      steps:
                        - to: spool:records
                """);
        Failure f = run(Map.of("dockwatch.routes", routes.toString()));
        f.assertOneLineNaming("misspelt", "backlogg");
        assertThat(f.exitCode()).isEqualTo(2);
    }

    @Test
    void anUnknownComponentOptionSetTheCamelWay() throws Exception {
        Failure f = run(Map.of("camel.component.http-sink.urll", "http://127.0.0.1:9/x"));
        f.assertOneLineNaming("http-sink", "urll");
        assertThat(f.exitCode()).isEqualTo(2);
    }

    /**
     * A source's option set the Camel way, with a bad value: the route names it and its setting.
     * (Its own routes folder: with the shipped routes the same line comes, but the exit took 22 s
     * with -jar on 2026-12-02 at a load average near 30, against 8 s for a misspelt option.)
     */
    @Test
    void aBadSourceOptionSetTheCamelWayNamesTheOptionAndItsSetting() throws Exception {
        Path routes = routes("""
                - route:
                    id: fast-stats
                    from:
                      uri: docker-stats:all
                      steps:
                        - to: spool:records
                """);
        Failure f = run(Map.of("dockwatch.routes", routes.toString(), "camel.component.docker-stats.interval", "soon"));
        f.assertOneLineNaming("fast-stats", "docker-stats interval=soon", "dockwatch.stats.interval");
        assertThat(f.exitCode()).isEqualTo(2);
    }

    @Test
    void aBadOptionValueNamesTheOptionAndItsSetting() throws Exception {
        Path routes = routes("""
                - route:
                    id: bad-format
                    from:
                      uri: spool:records?sink=bad-format
                      steps:
                        - to: http-sink:x?url=http://127.0.0.1:9/x&format=graylog
                """);
        Failure f = run(Map.of("dockwatch.routes", routes.toString()));
        f.assertOneLineNaming("bad-format", "http-sink format=graylog", "dockwatch.sink.http.format", "loki");
        assertThat(f.exitCode()).isEqualTo(2);
    }

    @Test
    void aMissingRoutesFolder() throws Exception {
        Path missing = work.resolve("no-such-routes");
        Failure f = run(Map.of("dockwatch.routes", missing.toString()));
        f.assertOneLineNaming("dockwatch.routes", missing.toString());
    }

    @Test
    void aStateDirOnAReadOnlyFileSystem() throws Exception {
        // root writes through file modes, so "unwritable" is a read-only mount, as a volume
        // mounted :ro or a full-up-and-remounted disk would be
        Path readOnly = Files.createDirectories(work.resolve("ro"));
        sh("mount -t tmpfs -o ro,size=1m dockwatch-ro " + readOnly);
        try {
            Path state = readOnly.resolve("state");
            Failure f = run(Map.of("dockwatch.state.dir", state.toString()));
            f.assertOneLineNaming("dockwatch.state.dir", state.toString(), "read-only file system");
        } finally {
            sh("umount " + readOnly);
        }
    }

    @Test
    void theHttpPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Failure f = run(Map.of("dockwatch.http.port", String.valueOf(port)));
            f.assertOneLineNaming(":" + port, "dockwatch.http.port", "Address already in use");
        }
    }

    private Path routes(String yaml) throws IOException {
        Path dir = Files.createDirectories(work.resolve("routes"));
        Files.writeString(dir.resolve("routes.camel.yaml"), yaml);
        return dir;
    }

    /** What a user sees of a collector that could not start. */
    private record Failure(int exitCode, Duration took, String stderr, String stdout, long pid) {
        void assertOneLineNaming(String... words) {
            assertThat(exitCode).as("exit code; stderr:\n%s", stderr).isNotZero();
            assertThat(took).as("time to exit").isLessThan(EXIT_WITHIN);
            List<String> problem = stderr.lines().filter(l -> l.startsWith("dockwatch: ")).toList();
            assertThat(problem).as("the problem line in stderr:\n%s", stderr).hasSize(1);
            assertThat(problem.get(0)).contains(words);
            assertThat(stderr + stdout).as("no stack trace").doesNotContain("\tat ", "Exception in thread");
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("process %d gone", pid)
                    .isEmpty();
        }
    }

    private Failure run(Map<String, String> extra) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("dockwatch.output.dir", work.resolve("out").toString());
        settings.put("dockwatch.state.dir", work.resolve("state").toString());
        settings.put("dockwatch.http.port", "0");
        // should one of these start after all, it must not read the shared daemon's containers
        settings.put("dockwatch.containers.include", "startup-failure-it-none");
        settings.putAll(extra);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(Collector.jvmOptions());
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", Collector.jar().toString()));
        long started = System.nanoTime();
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<String> stderr = readAll(p.getErrorStream());
        CompletableFuture<String> stdout = readAll(p.getInputStream());
        boolean exited = p.waitFor(EXIT_WITHIN.toSeconds() + 10, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("collector still running after " + took.toSeconds() + " s:\n"
                    + stderr.get(5, TimeUnit.SECONDS));
        }
        p.waitFor();
        System.out.printf("StartupFailureIT: exit %d after %d ms: %s%n", p.exitValue(), took.toMillis(),
                stderr.get(5, TimeUnit.SECONDS).lines().filter(l -> l.startsWith("dockwatch: ")).findFirst().orElse("?"));
        return new Failure(p.exitValue(), took, stderr.get(5, TimeUnit.SECONDS), stdout.get(5, TimeUnit.SECONDS), p.pid());
    }

    private static CompletableFuture<String> readAll(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        });
    }

    private static void sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", script, out).isZero();
    }
}
