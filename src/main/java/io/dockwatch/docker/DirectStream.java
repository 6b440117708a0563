package io.dockwatch.docker;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import jdk.net.ExtendedSocketOptions;

/**
 * A streaming GET on a connection of its own, for the container log streams, which carry nearly
 * all of the collector's bytes.
 *
 * <p>Why not the shared transport: it hands over one HTTP chunk per read, and Docker writes every
 * log entry as a chunk of its own, so reading a busy log cost a system call and a pass through
 * the transport's layers per line (half of a log follower's CPU). Here the request is HTTP/1.0,
 * so Docker answers with its bytes unframed until it closes the connection, and a read returns
 * everything that has arrived: how much that is tells the reader whether it has caught up
 * with the daemon ({@link #read}). Without TLS the connection is a channel, so one thread can
 * watch every log stream with a selector ({@link #selectableChannel()}).
 *
 * <p>A link can die without a word (a NAT or firewall that forgets the connection sends nothing):
 * <ul>
 * <li>a TCP connection sends keepalive probes after {@link #KEEPALIVE_IDLE_SECONDS} without
 *     traffic, so a dead peer fails the stream within
 *     {@code KEEPALIVE_IDLE + KEEPALIVE_COUNT × KEEPALIVE_INTERVAL} (25 s), and a NAT's mapping
 *     of an idle event stream stays fresh (a unix socket's peer cannot vanish silently);</li>
 * <li>connecting, the request and the response head must be done within the request timeout;</li>
 * <li>the daemon's liveness probe {@linkplain #abort aborts} every stream of a daemon that stopped
 *     answering: the reader, blocked or on a selector, then fails with an "unreachable"
 *     {@link DockerApiException} and reconnects from its checkpoint.</li>
 * </ul>
 */
public final class DirectStream implements Closeable {
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    /** Seconds without traffic before the first keepalive probe. */
    static final int KEEPALIVE_IDLE_SECONDS = 10;
    /** Seconds between unanswered keepalive probes. */
    static final int KEEPALIVE_INTERVAL_SECONDS = 5;
    /** Unanswered probes after which the kernel fails the connection. */
    static final int KEEPALIVE_COUNT = 3;

    /** Ends opens that outlive their deadline; one thread for every stream of every daemon. */
    private static final ScheduledExecutorService DEADLINES = deadlines();

    private static ScheduledExecutorService deadlines() {
        java.util.concurrent.ScheduledThreadPoolExecutor e = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "dockwatch-docker-deadlines");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true); // a deadline met is forgotten at once, not kept (with its stream) for 30 s
        return e;
    }

    private final Closeable connection;
    /** What a close or an abort shuts: the TCP socket under TLS, else the connection itself. */
    private final Closeable raw;
    private final InputStream in;
    /** The connection as a channel a selector can watch (unix socket, plain TCP); null for TLS. */
    private final SocketChannel channel;
    private byte[] early = new byte[0]; // body bytes that arrived with the response head
    private int earlyOff;
    /** Why the stream was aborted; reads fail with it from then on. Null while it is sound. */
    private volatile String aborted;
    private Consumer<DirectStream> onClose = s -> { };

    private DirectStream(Closeable connection, Closeable raw, InputStream in) {
        this.connection = connection;
        this.raw = raw;
        this.in = in;
        this.channel = connection instanceof SocketChannel ch ? ch : null;
    }

    /**
     * Connects within {@code connectTimeout}, then sends the request and reads the response head
     * within {@code timeout}; an error status is a {@link DockerApiException}. {@code onOpen}
     * sees the stream before the request goes out (so it can be aborted while the head is
     * awaited), {@code onClose} once it is closed.
     */
    static DirectStream open(URI endpoint, SSLContext tls, String path, Duration connectTimeout, Duration timeout,
            Consumer<DirectStream> onOpen, Consumer<DirectStream> onClose) throws IOException {
        DirectStream s = connect(endpoint, tls, connectTimeout, timeout);
        s.onClose = onClose;
        onOpen.accept(s);
        ScheduledFuture<?> deadline = DEADLINES.schedule(
                () -> s.abort("no answer to " + path + " within " + timeout.toSeconds() + " s"),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            String host = "unix".equals(endpoint.getScheme()) ? "docker" : endpoint.getHost() + ":" + endpoint.getPort();
            OutputStream out = s.channel == null ? ((Socket) s.connection).getOutputStream()
                    : Channels.newOutputStream(s.channel);
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: dockwatch\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.readHead(endpoint + " " + path);
            s.failIfAborted();
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            String why = s.aborted;
            if (why != null && !(e instanceof DockerApiException)) {
                throw new DockerApiException(endpoint + " " + why, e);
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    private static DirectStream connect(URI endpoint, SSLContext tls, Duration connectTimeout, Duration timeout)
            throws IOException {
        if (tls == null) {
            boolean unix = "unix".equals(endpoint.getScheme());
            SocketChannel ch = SocketChannel.open(unix ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
            try {
                if (unix) {
                    ch.connect(UnixDomainSocketAddress.of(endpoint.getPath()));
                } else {
                    keepAlive(ch);
                    ch.socket().connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), (int) connectTimeout.toMillis());
                }
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new DirectStream(ch, ch, Channels.newInputStream(ch));
        }
        Socket socket = new Socket();
        try {
            keepAlive(socket);
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), (int) connectTimeout.toMillis());
            // the handshake has the same bound as the answer: a peer that goes quiet mid-handshake fails it
            socket.setSoTimeout((int) timeout.toMillis());
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, endpoint.getHost(), endpoint.getPort(), true);
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host, as for the transport
            ssl.setSSLParameters(params);
            ssl.startHandshake();
            socket.setSoTimeout(0); // a log or event stream may be quiet for hours; keepalive watches it
            return new DirectStream(ssl, socket, ssl.getInputStream());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Whether the JDK can set keepalive timing per socket ({@code jdk.net}): a runtime image
     * linked without it still keeps connections alive, at the kernel's pace, and the liveness
     * probe still tears dead ones down.
     */
    private static final boolean KEEPALIVE_TIMING = ModuleLayer.boot().findModule("jdk.net").isPresent();

    /** Short keepalive: a dead peer of a quiet stream is noticed in 25 s, not the kernel's default 2 h 11 min. */
    private static void keepAlive(SocketChannel ch) throws IOException {
        ch.setOption(java.net.StandardSocketOptions.SO_KEEPALIVE, true);
        if (KEEPALIVE_TIMING) {
            KeepAliveTiming.set(ch);
        }
    }

    private static void keepAlive(Socket s) throws IOException {
        s.setKeepAlive(true);
        if (KEEPALIVE_TIMING) {
            KeepAliveTiming.set(s);
        }
    }

    /** Apart, so that {@code jdk.net} is only loaded where it exists. */
    private static final class KeepAliveTiming {
        static void set(SocketChannel ch) throws IOException {
            ch.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, KEEPALIVE_IDLE_SECONDS);
            ch.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, KEEPALIVE_INTERVAL_SECONDS);
            ch.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, KEEPALIVE_COUNT);
        }

        static void set(Socket s) throws IOException {
            s.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, KEEPALIVE_IDLE_SECONDS);
            s.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, KEEPALIVE_INTERVAL_SECONDS);
            s.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, KEEPALIVE_COUNT);
        }
    }

    private void readHead(String what) throws IOException {
        byte[] head = new byte[8192];
        int len = 0;
        int end;
        while ((end = headEnd(head, len)) < 0) {
            if (len == head.length) {
                if (len >= MAX_HEAD_BYTES) {
                    throw new IOException(what + ": response head longer than " + MAX_HEAD_BYTES + " bytes");
                }
                head = java.util.Arrays.copyOf(head, len * 2);
            }
            int n = in.read(head, len, head.length - len);
            if (n < 0) {
                throw new IOException(what + ": connection closed before the response head");
            }
            len += n;
        }
        String text = new String(head, 0, end, StandardCharsets.ISO_8859_1);
        int eol = text.indexOf('\r'); // none when the head is the status line alone
        String[] status = (eol < 0 ? text : text.substring(0, eol)).split(" ", 3);
        int code = status.length >= 2 && status[1].matches("\\d{3}") ? Integer.parseInt(status[1]) : -1;
        early = java.util.Arrays.copyOfRange(head, end + 4, len);
        if (code >= 300 || code < 0) {
            byte[] body = new byte[2048];
            int n = Math.min(early.length, body.length);
            System.arraycopy(early, 0, body, 0, n);
            n += in.readNBytes(body, n, body.length - n);
            throw new DockerApiException(what + " answered " + code + ": "
                    + new String(body, 0, n, StandardCharsets.UTF_8).trim(), code);
        }
        if (text.toLowerCase(java.util.Locale.ROOT).contains("\ntransfer-encoding: chunked")) {
            throw new IOException(what + ": chunked answer to an HTTP/1.0 request");
        }
    }

    private static int headEnd(byte[] b, int len) {
        for (int i = 0; i + 3 < len; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Reads what has arrived, blocking only while nothing has: so a read that returns much less
     * than asked means the reader has caught up with the daemon. -1 at the end of the stream.
     */
    public int read(byte[] b, int off, int len) throws IOException {
        failIfAborted();
        if (earlyOff < early.length) {
            int n = Math.min(len, early.length - earlyOff);
            System.arraycopy(early, earlyOff, b, off, n);
            earlyOff += n;
            return n;
        }
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            failIfAborted(); // the abort's reason, not "socket closed"
            throw e;
        }
        failIfAborted(); // an abort ends a blocked read with an end of stream that is none
        return n;
    }

    /** The body as an input stream (the event stream, read by a JSON parser); closing it closes this. */
    public InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return DirectStream.this.read(one, 0, 1) < 0 ? -1 : one[0] & 0xff; // a blocking read: 1 byte or the end
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : DirectStream.this.read(b, off, len);
            }

            @Override
            public void close() {
                DirectStream.this.close();
            }
        };
    }

    /**
     * The connection as a selectable channel, or null (TLS: read with {@link #read(byte[], int, int)}
     * on a thread of its own). Once a caller switches it to non-blocking, read with {@link #read(ByteBuffer)}.
     */
    public SocketChannel selectableChannel() {
        return channel;
    }

    /** Reads what has arrived into {@code dst} without blocking (the channel must be non-blocking); -1 at the end. */
    public int read(ByteBuffer dst) throws IOException {
        failIfAborted();
        if (earlyOff < early.length) {
            int n = Math.min(dst.remaining(), early.length - earlyOff);
            dst.put(early, earlyOff, n);
            earlyOff += n;
            return n;
        }
        int n = channel.read(dst);
        failIfAborted();
        return n;
    }

    /**
     * Declares the link dead: the reader's next read fails with an "unreachable"
     * {@link DockerApiException} naming {@code why}, and a read blocked now, or a selector
     * watching the stream, wakes up to it. The input is shut rather than the channel closed:
     * a selector drops a closed channel without a word, and its reader would wait forever.
     * The reader closes the stream as after any failure.
     */
    public void abort(String why) {
        if (aborted != null) {
            return;
        }
        aborted = why;
        try {
            if (channel != null) {
                channel.shutdownInput();
            } else {
                raw.close(); // TLS: read on a thread of its own, which the close wakes
            }
        } catch (IOException e) {
            close(); // not connected any more: nothing left to wake
        }
    }

    /** Whether {@link #abort} was called. */
    public boolean isAborted() {
        return aborted != null;
    }

    private void failIfAborted() throws DockerApiException {
        String why = aborted;
        if (why != null) {
            throw new DockerApiException(why, -1);
        }
    }

    /** Ends the stream; a read blocked in another thread returns with an exception. */
    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException e) {
            // closing to stop: nothing to do about a failure
        }
        try {
            raw.close(); // a TLS close does not always close the socket under it
        } catch (IOException e) {
            // closing to stop
        }
        onClose.accept(this);
    }
}
