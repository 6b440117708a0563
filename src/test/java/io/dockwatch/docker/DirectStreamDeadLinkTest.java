package io.dockwatch.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream whose peer goes quiet: against a local server that answers the head and then says
 * nothing (or never answers), as a daemon behind a dead link looks from here.
 */
class DirectStreamDeadLinkTest {
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private ServerSocket server;

    @TempDir
    java.nio.file.Path certs;

    /** Accepts connections, reads each request head, and answers it with {@code head} (or nothing when null); then silence. */
    private URI quietServer(String head) throws IOException {
        return quietServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), head);
    }

    private URI quietServer(ServerSocket listening, String head) {
        server = listening;
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    accepted.add(s);
                    InputStream in = s.getInputStream();
                    int state = 0;
                    while (state < 4) { // up to the blank line ending the request head
                        int b = in.read();
                        if (b < 0) {
                            break;
                        }
                        state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
                    }
                    if (head != null) {
                        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }, "quiet-server");
        t.setDaemon(true);
        t.start();
        return URI.create("tcp://127.0.0.1:" + server.getLocalPort());
    }

    private static DirectStream open(URI uri, Duration timeout) throws IOException {
        return DirectStream.open(uri, null, "/events", Duration.ofSeconds(2), timeout, s -> { }, s -> { });
    }

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
        for (Socket s : accepted) {
            s.close();
        }
    }

    @Test
    void anAbortEndsABlockedReadWithAnUnreachableError() throws Exception {
        URI uri = quietServer("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n");
        try (DirectStream s = open(uri, Duration.ofSeconds(5))) {
            CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    s.read(new byte[100], 0, 100);
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            Thread.sleep(300); // the reader is blocked on a quiet connection
            assertThat(reader).isNotDone();

            s.abort("link declared dead");

            Throwable t = reader.get(2, TimeUnit.SECONDS);
            assertThat(t).isInstanceOfSatisfying(DockerApiException.class, e -> {
                assertThat(e.isUnreachable()).isTrue();
                assertThat(e.getMessage()).isEqualTo("link declared dead");
            });
        }
    }

    @Test
    void anAbortWakesASelectorWatchingTheStreamAndItsReadFails() throws Exception {
        URI uri = quietServer("HTTP/1.0 200 OK\r\n\r\n");
        try (DirectStream s = open(uri, Duration.ofSeconds(5)); Selector selector = Selector.open()) {
            s.selectableChannel().configureBlocking(false);
            s.selectableChannel().register(selector, SelectionKey.OP_READ);
            assertThat(selector.select(300)).as("nothing to read from a quiet peer").isZero();

            s.abort("link declared dead");

            assertThat(selector.select(2000)).as("the stream is readable at once").isEqualTo(1);
            assertThatThrownBy(() -> s.read(ByteBuffer.allocate(100))).isInstanceOf(DockerApiException.class)
                    .hasMessage("link declared dead");
        }
    }

    @Test
    void anAbortEndsABlockedReadOfATlsStream() throws Exception {
        io.dockwatch.testing.TestCertificates tls = io.dockwatch.testing.TestCertificates.create(certs);
        java.nio.file.Path serverDir = java.nio.file.Files.createDirectories(certs.resolve("server-layout"));
        java.nio.file.Files.copy(tls.caPem(), serverDir.resolve("ca.pem"));
        java.nio.file.Files.copy(tls.serverCert(), serverDir.resolve("cert.pem"));
        java.nio.file.Files.copy(tls.serverKey(), serverDir.resolve("key.pem"));
        javax.net.ssl.SSLContext serverTls = new com.github.dockerjava.core.LocalDirectorySSLConfig(serverDir.toString()).getSSLContext();
        javax.net.ssl.SSLServerSocket listening = (javax.net.ssl.SSLServerSocket) serverTls.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        listening.setNeedClientAuth(true);
        URI uri = quietServer(listening, "HTTP/1.0 200 OK\r\n\r\n");
        javax.net.ssl.SSLContext clientTls = new com.github.dockerjava.core.LocalDirectorySSLConfig(
                tls.client("collector").toString()).getSSLContext();

        try (DirectStream s = DirectStream.open(uri, clientTls, "/events", Duration.ofSeconds(2), Duration.ofSeconds(5),
                x -> { }, x -> { })) {
            assertThat(s.selectableChannel()).as("TLS is read on a thread of its own").isNull();
            CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    s.read(new byte[100], 0, 100);
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            Thread.sleep(300);
            assertThat(reader).isNotDone();

            s.abort("link declared dead");

            assertThat(reader.get(2, TimeUnit.SECONDS)).isInstanceOfSatisfying(DockerApiException.class,
                    e -> assertThat(e.isUnreachable()).isTrue());
        }
    }

    @Test
    void aPeerThatNeverAnswersFailsTheOpenWithinTheTimeout() throws Exception {
        URI uri = quietServer(null);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> open(uri, Duration.ofSeconds(1))).isInstanceOfSatisfying(DockerApiException.class, e -> {
            assertThat(e.isUnreachable()).isTrue();
            assertThat(e.getMessage()).contains("no answer to /events within 1 s");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aTcpStreamKeepsItselfAliveWithShortProbes() throws Exception {
        URI uri = quietServer("HTTP/1.0 200 OK\r\n\r\n");
        try (DirectStream s = open(uri, Duration.ofSeconds(5))) {
            var ch = s.selectableChannel();
            assertThat(ch.getOption(StandardSocketOptions.SO_KEEPALIVE)).isTrue();
            assertThat(ch.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(DirectStream.KEEPALIVE_IDLE_SECONDS);
            assertThat(ch.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)).isEqualTo(DirectStream.KEEPALIVE_INTERVAL_SECONDS);
            assertThat(ch.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(DirectStream.KEEPALIVE_COUNT);
        }
    }

    @Test
    void onlySilenceCountsAsADeadLinkNotARefusal() {
        assertThat(DockerDaemon.isSilence(new RuntimeException(new SocketTimeoutException("Read timed out")))).isTrue();
        assertThat(DockerDaemon.isSilence(new RuntimeException(new ConnectException("Connection refused")))).isFalse();
    }
}
