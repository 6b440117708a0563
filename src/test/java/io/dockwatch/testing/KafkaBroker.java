package io.dockwatch.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker (KRaft, broker and controller in one process) run from Maven Central's
 * {@code org.apache.kafka:kafka_2.13} on the test classpath, as a child JVM with a small heap, so a
 * test can stop it (SIGTERM) and start it again on the same port and log dir, as an outage would.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final String CLUSTER_ID = "ZHdOZXRlc3RDbHVzdGVyMQ"; // any 16 bytes, base64url
    private final Path dir;
    private final Path config;
    private final int port;
    private final int controllerPort;
    private Process process;

    public KafkaBroker(Path dir) {
        this.dir = dir;
        this.config = dir.resolve("server.properties");
        this.port = freePort();
        this.controllerPort = freePort();
        try {
            Files.createDirectories(dir.resolve("logs"));
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    "log.dirs=" + dir.resolve("logs"),
                    "num.partitions=2",
                    "auto.create.topics.enable=true",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "num.network.threads=1",
                    "num.io.threads=2",
                    "background.threads=2",
                    "log.cleaner.enable=false",
                    ""));
            Files.writeString(dir.resolve("logback.xml"), "<configuration><appender name=\"F\" "
                    + "class=\"ch.qos.logback.core.ConsoleAppender\"><encoder><pattern>%d %-5level %logger{0} - %msg%n"
                    + "</pattern></encoder></appender><root level=\"WARN\"><appender-ref ref=\"F\"/></root></configuration>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run("kafka.tools.StorageTool", "format", "-t", CLUSTER_ID, "-c", config.toString(), "--ignore-formatted");
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker and waits until it accepts connections. */
    public KafkaBroker start() {
        process = spawn("kafka.Kafka", config.toString());
        await("Kafka broker listening on " + port).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("Kafka broker exited: " + Files.readString(log()));
                    }
                    return listening(port);
                });
        return this;
    }

    /** SIGTERM: the broker shuts down as an operator would stop it; its port goes away. */
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

    public Path log() {
        return dir.resolve("broker.log");
    }

    private void run(String mainClass, String... args) {
        Process p = spawn(mainClass, args);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(mainClass + " failed: " + Files.readString(log()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Process spawn(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a shared 2-core machine: a small heap and the serial collector are plenty for a test broker
                "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true", "-Dlogback.configurationFile=" + dir.resolve("logback.xml"),
                "-cp", testClassPath(), mainClass));
        cmd.addAll(List.of(args));
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Surefire and Failsafe may run tests from a manifest-only jar; they name the real path here. */
    private static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
