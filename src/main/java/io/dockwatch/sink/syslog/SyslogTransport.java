package io.dockwatch.sink.syslog;

import io.dockwatch.sink.syslog.SyslogFraming;
import io.dockwatch.sink.TlsTrust;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Puts syslog messages on the wire: one datagram each over UDP (RFC 5426), or a stream over TCP
 * and TLS (RFC 6587 octet counting or newline framing; RFC 5425 for TLS).
 *
 * <p>Plain JDK sockets rather than camel-netty: the sink sends one batch at a time from its own
 * spool thread and must know when a send failed, which a blocking write tells directly while
 * Netty's asynchronous writes would need a future per batch; and Netty would add a second set of
 * 4.1/4.2 artifacts for the enforcer to converge for what is a few lines of framing.
 */
final class SyslogTransport implements AutoCloseable {
    /** Short, so a receiver that does not answer cannot hold a stopping collector past its bound. */
    private static final int CONNECT_TIMEOUT_MS = 3_000;
    private static final int WRITE_BUFFER = 64 * 1024;

    private final String scheme;
    private final InetSocketAddress address;
    private final SyslogFraming framing;
    private final Path tlsCa;
    private volatile DatagramSocket udp;
    private volatile Socket socket;
    private volatile OutputStream out;

    SyslogTransport(URI url, SyslogFraming framing, Path tlsCa) {
        this.scheme = url.getScheme();
        this.address = new InetSocketAddress(url.getHost(), url.getPort());
        this.framing = framing;
        this.tlsCa = tlsCa;
    }

    /** Sends the messages in order; on failure the connection is dropped and the next call reconnects. */
    void send(List<byte[]> messages) throws IOException {
        try {
            if ("udp".equals(scheme)) {
                sendUdp(messages);
            } else {
                sendStream(messages);
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void sendUdp(List<byte[]> messages) throws IOException {
        if (udp == null) {
            udp = new DatagramSocket();
        }
        for (byte[] m : messages) {
            udp.send(new DatagramPacket(m, m.length, address));
        }
    }

    private void sendStream(List<byte[]> messages) throws IOException {
        if (socket != null && peerClosed()) {
            close();
        }
        if (socket == null) {
            connect();
        }
        OutputStream out = this.out; // close() from a stopping thread may clear the field meanwhile
        if (out == null) {
            throw new IOException("Connection closed");
        }
        for (byte[] m : messages) {
            if (framing == SyslogFraming.OCTET_COUNTING) {
                out.write((m.length + " ").getBytes(StandardCharsets.US_ASCII));
                out.write(m);
            } else {
                // a newline inside a message would end it early for the receiver
                for (byte b : m) {
                    out.write(b == '\n' ? ' ' : b);
                }
                out.write('\n');
            }
        }
        out.flush();
    }

    /**
     * Whether the receiver has closed the connection. Syslog receivers never send, so a read that
     * times out means alive and end-of-stream means gone: without this check the first batch
     * after a receiver restart would be written into a dead socket and reported as sent.
     */
    private boolean peerClosed() {
        try {
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            return in.read() < 0;
        } catch (SocketTimeoutException alive) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, CONNECT_TIMEOUT_MS);
            s.setKeepAlive(true);
            s.setTcpNoDelay(true);
            if ("tls".equals(scheme)) {
                SSLSocket tls = (SSLSocket) TlsTrust.context(tlsCa).getSocketFactory()
                        .createSocket(s, address.getHostString(), address.getPort(), true);
                SSLParameters p = tls.getSSLParameters();
                // check the receiver's certificate names its host, as HTTPS does (RFC 5425, 5.2)
                p.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(p);
                tls.setSoTimeout(CONNECT_TIMEOUT_MS);
                tls.startHandshake();
                s = tls;
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        socket = s;
        out = new BufferedOutputStream(s.getOutputStream(), WRITE_BUFFER);
    }

    @Override
    public synchronized void close() {
        if (udp != null) {
            udp.close();
            udp = null;
        }
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection: nothing left to do
            }
            socket = null;
            out = null;
        }
    }
}
