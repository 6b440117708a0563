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
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

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
 */
public final class DirectStream implements Closeable {
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private final Closeable connection;
    private final InputStream in;
    /** The connection as a channel a selector can watch (unix socket, plain TCP); null for TLS. */
    private final SocketChannel channel;
    private byte[] early = new byte[0]; // body bytes that arrived with the response head
    private int earlyOff;

    private DirectStream(Closeable connection, InputStream in) {
        this.connection = connection;
        this.in = in;
        this.channel = connection instanceof SocketChannel ch ? ch : null;
    }

    /** Connects, sends the request and reads the response head; an error status is a {@link DockerApiException}. */
    static DirectStream open(URI endpoint, SSLContext tls, String path, Duration connectTimeout) throws IOException {
        DirectStream s = connect(endpoint, tls, connectTimeout);
        try {
            String host = "unix".equals(endpoint.getScheme()) ? "docker" : endpoint.getHost() + ":" + endpoint.getPort();
            OutputStream out = s.channel == null ? ((Socket) s.connection).getOutputStream()
                    : Channels.newOutputStream(s.channel);
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: dockwatch\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.readHead(endpoint + " " + path);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static DirectStream connect(URI endpoint, SSLContext tls, Duration timeout) throws IOException {
        if (tls == null) {
            boolean unix = "unix".equals(endpoint.getScheme());
            SocketChannel ch = SocketChannel.open(unix ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
            try {
                if (unix) {
                    ch.connect(UnixDomainSocketAddress.of(endpoint.getPath()));
                } else {
                    ch.socket().connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), (int) timeout.toMillis());
                }
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new DirectStream(ch, Channels.newInputStream(ch));
        }
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), (int) timeout.toMillis());
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, endpoint.getHost(), endpoint.getPort(), true);
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host, as for the transport
            ssl.setSSLParameters(params);
            ssl.startHandshake();
            return new DirectStream(ssl, ssl.getInputStream());
        } catch (IOException e) {
            socket.close();
            throw e;
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
        String[] status = text.substring(0, text.indexOf('\r')).split(" ", 3);
        int code = status.length >= 2 ? Integer.parseInt(status[1]) : -1;
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
        if (earlyOff < early.length) {
            int n = Math.min(len, early.length - earlyOff);
            System.arraycopy(early, earlyOff, b, off, n);
            earlyOff += n;
            return n;
        }
        return in.read(b, off, len);
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
        if (earlyOff < early.length) {
            int n = Math.min(dst.remaining(), early.length - earlyOff);
            dst.put(early, earlyOff, n);
            earlyOff += n;
            return n;
        }
        return channel.read(dst);
    }

    /** Ends the stream; a read blocked in another thread returns with an exception. */
    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException e) {
            // closing to stop: nothing to do about a failure
        }
    }
}
