package io.dockwatch.sink.syslog;

import static org.awaitility.Awaitility.await;

import io.dockwatch.sink.SinkTesting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rsyslogd (Debian's rsyslog, gtls driver from rsyslog-gnutls) run by the test in its own
 * folder: UDP, TCP and TLS inputs on free loopback ports, writing every message to a file as
 * {@code PRI|HOSTNAME|APP-NAME|PROCID|MSGID|STRUCTURED-DATA|MSG}, one per line.
 */
final class Rsyslog implements AutoCloseable {
    static final String SEPARATOR = "|";

    /** One message as rsyslog parsed it. */
    record Line(int pri, String hostname, String appName, String procId, String msgId, String structuredData,
            String msg) {
    }

    final int udpPort = SinkTesting.freePort();
    final int tcpPort = SinkTesting.freePort();
    final int tlsPort = SinkTesting.freePort();
    private final Path dir;
    private Process process;

    Rsyslog(Path dir) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("key.pem").toString(),
                "-out", ca().toString(), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
        String conf = """
                global(workDirectory="DIR" maxMessageSize="64k"
                  defaultNetstreamDriverCAFile="DIR/ca.pem" defaultNetstreamDriverCertFile="DIR/ca.pem"
                  defaultNetstreamDriverKeyFile="DIR/key.pem")
                module(load="imudp")
                module(load="imtcp")
                input(type="imudp" address="127.0.0.1" port="UDP" ruleset="out")
                input(type="imtcp" address="127.0.0.1" port="TCP" ruleset="out")
                input(type="imtcp" address="127.0.0.1" port="TLS" ruleset="out"
                      streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
                template(name="fields" type="string"
                         string="%pri%|%hostname%|%app-name%|%procid%|%msgid%|%structured-data%|%msg%\\n")
                ruleset(name="out") { action(type="omfile" file="DIR/messages.log" template="fields") }
                """.replace("DIR", dir.toString()).replace("UDP", Integer.toString(udpPort))
                .replace("TCP", Integer.toString(tcpPort)).replace("TLS", Integer.toString(tlsPort));
        Files.writeString(dir.resolve("rsyslog.conf"), conf);
        start();
    }

    Path ca() {
        return dir.resolve("ca.pem");
    }

    void start() {
        try {
            process = new ProcessBuilder("rsyslogd", "-n", "-f", dir.resolve("rsyslog.conf").toString(), "-i",
                    dir.resolve("rsyslogd.pid").toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rsyslogd.out").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("rsyslogd not runnable (scripts/test-env.sh installs it)", e);
        }
        await("rsyslogd listening").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("rsyslogd exited: " + Files.readString(dir.resolve("rsyslogd.out")));
                    }
                    return listening(tcpPort) && listening(tlsPort);
                });
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Every message rsyslog has written so far. */
    List<Line> lines() throws IOException {
        Path f = dir.resolve("messages.log");
        List<Line> out = new ArrayList<>();
        if (!Files.exists(f)) {
            return out;
        }
        for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            String[] p = l.split("\\|", 7);
            out.add(new Line(Integer.parseInt(p[0]), p[1], p[2], p[3], p[4], p[5], p[6]));
        }
        return out;
    }

    /** Waits until rsyslog wrote at least n messages. */
    List<Line> awaitLines(int n) throws IOException {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> lines().size() >= n);
        return lines();
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
