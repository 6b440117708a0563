package io.dockwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Silently drops every TCP packet to and from one port of 127.0.0.1, as a NAT or firewall that
 * forgot a connection does: iptables DROP rules on the loopback interface, both ways, so neither
 * side hears a FIN or a reset. {@link #forgetConnections()} makes the far end really forget its
 * connections meanwhile ({@code ss -K}): otherwise its kernel would retransmit their FINs once
 * the rules go, and the near end would learn of the break the easy way.
 *
 * <p>Needs root, iptables and iproute2's ss (scripts/test-env.sh installs them and picks the
 * iptables flavour, nft or legacy, that works on the kernel).
 */
public final class LinkDropper implements AutoCloseable {
    private final int port;
    /** The client's port when only one connection is dropped; 0 for every connection of the port. */
    private final int clientPort;
    private boolean dropping;

    /** Drops every connection to and from {@code port}. */
    public LinkDropper(int port) {
        this(port, 0);
    }

    private LinkDropper(int port, int clientPort) {
        this.port = port;
        this.clientPort = clientPort;
    }

    /**
     * Drops one connection only, between {@code port} and the client's {@code clientPort}, as a
     * NAT that forgot one old mapping while new connections get through.
     */
    public static LinkDropper oneConnection(int port, int clientPort) {
        return new LinkDropper(port, clientPort);
    }

    private List<List<String>> rules() {
        List<List<String>> rules = new ArrayList<>();
        for (String chain : List.of("INPUT", "OUTPUT")) {
            String iface = chain.equals("INPUT") ? "-i" : "-o";
            for (boolean toServer : List.of(true, false)) {
                List<String> r = new ArrayList<>(List.of(chain, iface, "lo", "-p", "tcp", toServer ? "--dport" : "--sport",
                        Integer.toString(port)));
                if (clientPort != 0) {
                    r.addAll(List.of(toServer ? "--sport" : "--dport", Integer.toString(clientPort)));
                }
                r.addAll(List.of("-j", "DROP"));
                rules.add(r);
            }
        }
        return rules;
    }

    /**
     * From now on, packets of the port (or of the one connection) go nowhere; for the whole port,
     * checked with a connect that must time out, not be refused.
     */
    public synchronized void drop() {
        dropping = true;
        for (List<String> rule : rules()) {
            List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "-I"));
            cmd.addAll(rule);
            run(cmd);
        }
        if (clientPort != 0) {
            return; // new connections to the port still get through
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            throw new AssertionError("port " + port + " still answers with its packets dropped");
        } catch (SocketTimeoutException expected) {
            // silence: what the collector sees too
        } catch (IOException e) {
            throw new AssertionError("port " + port + " refused rather than dropped: " + e, e);
        }
    }

    /** Lets packets of the port pass again. */
    public synchronized void restore() {
        if (!dropping) {
            return;
        }
        for (List<String> rule : rules()) {
            List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "-D"));
            cmd.addAll(rule);
            run(cmd);
        }
        dropping = false;
    }

    /**
     * Destroys every socket whose local port is the port (the far end's side of each connection,
     * closing or not); call it once the far end's listener is closed. Returns how many it
     * destroyed; fails if any is left.
     */
    public int forgetConnections() {
        String filter = "( sport = :" + port + " )";
        int killed = lines(run(List.of("ss", "-K", "-t", "-n", "-H", "state", "all", filter)));
        String left = run(List.of("ss", "-t", "-n", "-H", "state", "all", filter));
        if (lines(left) > 0) {
            throw new AssertionError("sockets on port " + port + " survived ss -K:\n" + left);
        }
        return killed;
    }

    private static int lines(String text) {
        return (int) text.lines().filter(l -> !l.isBlank()).count();
    }

    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", cmd) + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        restore();
    }
}
