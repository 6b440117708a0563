package io.dockwatch.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real daemon's socket, forwarded on a TCP port of 127.0.0.1, byte for byte, with one extra:
 * {@link #cut(String)} breaks the open connections whose request line contains a text, as a
 * network hiccup or a proxy's idle timeout would, while new connections keep working.
 */
public final class CuttableDockerProxy implements AutoCloseable {
    private record Connection(String requestLine, Socket client, SocketChannel daemon) {
    }

    private final ServerSocket server;
    private final List<Connection> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public CuttableDockerProxy() throws IOException {
        this(0);
    }

    /**
     * On a port of the caller's choice (0: any free one): a proxy that restarts on the same port
     * is the same endpoint to the collector, as a restarted NAT box or load balancer would be.
     */
    public CuttableDockerProxy(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        Thread t = new Thread(this::accept, "docker-proxy");
        t.setDaemon(true);
        t.start();
    }

    public URI uri() {
        return URI.create("tcp://127.0.0.1:" + server.getLocalPort());
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> serve(client), "docker-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            SocketChannel daemon = SocketChannel.open(StandardProtocolFamily.UNIX);
            daemon.connect(UnixDomainSocketAddress.of("/var/run/docker.sock"));
            InputStream fromClient = client.getInputStream();
            // the first request line names the connection (a client may reuse it for more requests)
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = fromClient.read()) >= 0 && b != '\n') {
                line.append((char) b);
            }
            daemon.write(ByteBuffer.wrap((line + "\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
            Connection c = new Connection(line.toString(), client, daemon);
            open.add(c);
            Thread back = new Thread(() -> daemonToClient(c), "docker-proxy-back");
            back.setDaemon(true);
            back.start();
            clientToDaemon(fromClient, c);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    // The channel's own read and write, not Channels' streams: those share one lock between a
    // blocked read and a write, so a request could never be finished while its answer is awaited.
    private void clientToDaemon(InputStream in, Connection c) {
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    c.daemon().write(bb);
                }
            }
        } catch (IOException e) {
            // cut, or closed by either side
        } finally {
            drop(c);
        }
    }

    private void daemonToClient(Connection c) {
        ByteBuffer bb = ByteBuffer.allocate(16 * 1024);
        try {
            OutputStream out = c.client().getOutputStream();
            while (c.daemon().read(bb) >= 0) {
                out.write(bb.array(), 0, bb.position());
                out.flush();
                bb.clear();
            }
        } catch (IOException e) {
            // cut, or closed by either side
        } finally {
            drop(c);
        }
    }

    private void drop(Connection c) {
        open.remove(c);
        closeQuietly(c.client());
        try {
            c.daemon().close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** Breaks every open connection whose first request line contains {@code text}; returns how many. */
    public int cut(String text) {
        int n = 0;
        for (Connection c : open) {
            if (c.requestLine().contains(text)) {
                try {
                    c.client().setSoLinger(true, 0); // a reset, not a clean end of stream
                } catch (IOException e) {
                    // closing anyway
                }
                drop(c);
                n++;
            }
        }
        return n;
    }

    /** The client-side ports of the open connections whose first request line matches. */
    public List<Integer> clientPorts(java.util.function.Predicate<String> requestLine) {
        return open.stream().filter(c -> requestLine.test(c.requestLine())).map(c -> c.client().getPort()).toList();
    }

    public List<String> openRequestLines() {
        return open.stream().map(Connection::requestLine).toList();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        open.forEach(this::drop);
    }
}
