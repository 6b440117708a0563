package io.dockwatch.source.stats;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.record.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread keeps every stats request of a round in flight: each is a GET on a connection of its
 * own (unix socket or plain TCP), watched by one selector, so a thousand containers cost a
 * thousand sockets for a second, not a thousand threads. dockerd answers a one-shot stats request
 * on the next round of its 1 s collector, so nearly all of a request's time is waiting, which is
 * what a selector is for.
 *
 * <p>The request is HTTP/1.0, as for the log streams ({@code DirectStream}): dockerd answers with
 * the body unframed and closes, so the end of the answer is the end of the connection. An answer
 * is at most {@link #MAX_ANSWER_BYTES} and must come within the daemon's request timeout. TLS
 * daemons are not served here (the caller asks them through its blocking client).
 */
final class StatsRequests implements Runnable, AutoCloseable {
    /** What becomes of a request; called on this class's thread. */
    interface Answer {
        void done(JsonNode body);

        void failed(DockerApiException e);
    }

    private static final Logger LOG = LoggerFactory.getLogger(StatsRequests.class);
    /** A stats answer is a few KiB; anything this long is not one. */
    static final int MAX_ANSWER_BYTES = 1024 * 1024;
    private static final int READ_BYTES = 16 * 1024;
    private static final byte[] NOTHING_YET = new byte[0];

    private final class Request {
        final DockerDaemon daemon;
        final String path;
        final Answer answer;
        final long deadline;
        final SocketChannel channel;
        ByteBuffer out;
        /**
         * The answer so far: none until dockerd starts answering. A request mostly waits (dockerd
         * reads each container's stats from its shim, one after the other), so with a thousand
         * containers hundreds wait at once, and a buffer each was 4 KiB a container of old generation.
         */
        byte[] in = NOTHING_YET;
        int len;

        Request(DockerDaemon daemon, String path, Answer answer, long deadline, SocketChannel channel, ByteBuffer out) {
            this.daemon = daemon;
            this.path = path;
            this.answer = answer;
            this.deadline = deadline;
            this.channel = channel;
            this.out = out;
        }
    }

    private final Selector selector;
    private final Queue<Request> added = new ConcurrentLinkedQueue<>();
    private final java.util.Set<Request> open = new java.util.HashSet<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BYTES);
    private final Thread thread;
    private volatile boolean running = true;

    StatsRequests(String threadName) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a selector for the stats requests", e);
        }
        thread = new Thread(this, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether this daemon's requests can be made here: no TLS. */
    static boolean serves(DockerDaemon daemon) {
        return !daemon.endpoint().tlsVerify() && daemon.identity() != null;
    }

    /**
     * Sends {@code GET /v<api><pathAndQuery>}; the answer (or its failure) comes to {@code answer}
     * on this class's thread, within {@code timeout}.
     */
    void get(DockerDaemon daemon, String pathAndQuery, Duration timeout, Answer answer) {
        String path = "/v" + daemon.identity().apiVersion() + pathAndQuery;
        URI uri = daemon.endpoint().uri();
        boolean unix = "unix".equals(uri.getScheme());
        String host = unix ? "docker" : uri.getHost() + ":" + uri.getPort();
        ByteBuffer out = ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: dockwatch\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(unix ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
            ch.configureBlocking(false);
            ch.connect(unix ? UnixDomainSocketAddress.of(uri.getPath()) : new InetSocketAddress(uri.getHost(), uri.getPort()));
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            answer.failed(new DockerApiException("Docker at " + uri + " unreachable (" + pathAndQuery + "): " + e, e));
            return;
        }
        added.add(new Request(daemon, pathAndQuery, answer, System.nanoTime() + timeout.toNanos(), ch, out));
        selector.wakeup();
    }

    /** Requests in flight (tests, metrics). */
    int inFlight() {
        return open.size() + added.size();
    }

    @Override
    public void run() {
        try {
            while (running) {
                selector.select(250);
                registerAdded();
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
                expire();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                LOG.error("Stats requests stopped: {}", e.toString());
            }
        } finally {
            Request r;
            while ((r = added.poll()) != null) {
                closeQuietly(r.channel);
            }
            open.forEach(o -> closeQuietly(o.channel));
        }
    }

    private void registerAdded() {
        Request r;
        while ((r = added.poll()) != null) {
            try {
                int ops = r.channel.isConnected() ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT;
                r.channel.register(selector, ops, r);
                open.add(r);
            } catch (IOException e) {
                fail(r, e.toString());
            }
        }
    }

    private void handle(SelectionKey key) {
        Request r = (Request) key.attachment();
        try {
            if (key.isConnectable() && r.channel.finishConnect()) {
                key.interestOps(SelectionKey.OP_WRITE);
            }
            if (key.isValid() && key.isWritable()) {
                r.channel.write(r.out);
                if (!r.out.hasRemaining()) {
                    r.out = null;
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
            if (key.isValid() && key.isReadable()) {
                read(key, r);
            }
        } catch (IOException e) {
            fail(r, e.toString());
        }
    }

    private void read(SelectionKey key, Request r) throws IOException {
        int n;
        while ((n = r.channel.read(readBuffer.clear())) > 0) {
            if (r.len + n > MAX_ANSWER_BYTES) {
                fail(r, "answer longer than " + MAX_ANSWER_BYTES + " bytes");
                return;
            }
            if (r.len + n > r.in.length) {
                r.in = Arrays.copyOf(r.in, Math.max(r.len + n, r.in.length * 2));
            }
            System.arraycopy(readBuffer.array(), 0, r.in, r.len, n);
            r.len += n;
        }
        if (n < 0) {
            key.cancel();
            finish(r);
        }
    }

    /** The connection ended: the whole answer is there. */
    private void finish(Request r) {
        open.remove(r);
        closeQuietly(r.channel);
        String what = r.daemon.endpoint().uri() + " " + r.path;
        int headEnd = headEnd(r.in, r.len);
        if (headEnd < 0) {
            r.answer.failed(new DockerApiException("Docker at " + r.daemon.endpoint().uri() + " unreachable (" + r.path
                    + "): connection closed before the whole answer", -1));
            return;
        }
        String head = new String(r.in, 0, headEnd, StandardCharsets.ISO_8859_1);
        int eol = head.indexOf('\r');
        String[] status = (eol < 0 ? head : head.substring(0, eol)).split(" ", 3);
        int code = status.length >= 2 && status[1].matches("\\d{3}") ? Integer.parseInt(status[1]) : -1;
        int bodyAt = headEnd + 4;
        if (code >= 300 || code < 0) {
            r.answer.failed(new DockerApiException(what + " answered " + code + ": "
                    + new String(r.in, bodyAt, Math.min(2048, r.len - bodyAt), StandardCharsets.UTF_8).trim(), code));
            return;
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(r.in, bodyAt, r.len - bodyAt);
        } catch (IOException e) {
            r.answer.failed(new DockerApiException(what + ": answer is not JSON: " + e.getMessage(), e));
            return;
        }
        r.answer.done(body);
    }

    private void expire() {
        if (open.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (Request r : List.copyOf(open)) {
            if (now - r.deadline > 0) {
                fail(r, "no answer within the request timeout");
            }
        }
    }

    private void fail(Request r, String why) {
        open.remove(r);
        closeQuietly(r.channel);
        r.answer.failed(new DockerApiException("Docker at " + r.daemon.endpoint().uri() + " unreachable (" + r.path + "): " + why, -1));
    }

    private static int headEnd(byte[] b, int len) {
        for (int i = 0; i + 3 < len; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
