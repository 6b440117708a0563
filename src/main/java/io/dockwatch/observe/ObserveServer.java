package io.dockwatch.observe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dockwatch.record.Json;
import io.dockwatch.settings.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's own HTTP server: status page, status JSON, Prometheus metrics, health.
 *
 * <p>The JDK's {@code com.sun.net.httpserver}: no dependency at all (so nothing for the shade or
 * the enforcer to get wrong), a few hundred KiB of heap, and it serves a scrape every few seconds
 * and a page refresh easily. Vert.x (camel-platform-http-main) would bring Netty and a second
 * event loop to a collector that already counts its megabytes.
 */
public final class ObserveServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ObserveServer.class);

    public static final String PATH_HEALTH = "/observe/health";
    public static final String PATH_LIVE = PATH_HEALTH + "/live";
    public static final String PATH_READY = PATH_HEALTH + "/ready";
    public static final String PATH_METRICS = "/observe/metrics";
    public static final String PATH_STATUS_JSON = "/observe/status.json";
    public static final String PATH_STATUS_PAGE = "/";
    private static final String STATUS_PAGE_RESOURCE = "observe/status.html";
    private static final String TOKEN_PARAM = "token";
    private static final String BEARER = "Bearer ";
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final String HTML_TYPE = "text/html; charset=utf-8";
    private static final String TEXT_TYPE = "text/plain; charset=utf-8";
    private static final int THREADS = 2;

    private final Observe observe;
    private final byte[] token;
    private final HttpServer server;
    private final ExecutorService executor;
    private final byte[] statusPage;

    private ObserveServer(Observe observe, String host, int port, String token) throws IOException {
        this.observe = observe;
        this.token = token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.statusPage = resource(STATUS_PAGE_RESOURCE);
        this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "dockwatch-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(PATH_HEALTH, this::health);
        server.createContext(PATH_METRICS, ex -> guarded(ex, () ->
                send(ex, 200, Metrics.CONTENT_TYPE, observe.metrics().scrape().getBytes(StandardCharsets.UTF_8))));
        server.createContext(PATH_STATUS_JSON, ex -> guarded(ex, () -> sendJson(ex, 200, observe.status())));
        server.createContext(PATH_STATUS_PAGE, ex -> guarded(ex, () -> {
            if (!ex.getRequestURI().getPath().equals(PATH_STATUS_PAGE)) {
                send(ex, 404, TEXT_TYPE, "Not found\n".getBytes(StandardCharsets.UTF_8));
            } else {
                send(ex, 200, HTML_TYPE, statusPage);
            }
        }));
    }

    /** Binds {@code dockwatch.http.host}:{@code .port} (0 picks a free port) and starts serving. */
    public static ObserveServer start(Observe observe, Settings settings) {
        String host = settings.string(Settings.HTTP_HOST);
        int port = settings.port(Settings.HTTP_PORT);
        try {
            ObserveServer s = new ObserveServer(observe, host, port, settings.httpToken());
            s.startDispatcherAsDaemon();
            LOG.info("Status page, metrics and health on {} ({}, {})", s.baseUrl(), PATH_METRICS, PATH_HEALTH);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + host + ":" + port + " (" + Settings.HTTP_HOST + ", "
                    + Settings.HTTP_PORT + "): " + e.getMessage(), e);
        }
    }

    /**
     * The JDK server's dispatcher thread is not a daemon and takes that from the thread that
     * starts it. Started from main, it kept a collector whose Camel failed to start alive and
     * answering health checks; started from a daemon thread, only the collector decides when
     * the JVM ends.
     */
    private void startDispatcherAsDaemon() {
        Thread starter = new Thread(server::start, "dockwatch-http-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the HTTP server", e);
        }
    }

    /** {@code http://host:port}, with the port actually bound. */
    public String baseUrl() {
        InetSocketAddress a = server.getAddress();
        String h = a.getAddress().getHostAddress();
        if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + a.getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Health stays open without a token: container and orchestrator probes carry no secrets. */
    private void health(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            Observe.Check check = switch (path) {
                case PATH_LIVE -> Observe.Check.LIVE;
                case PATH_READY -> Observe.Check.READY;
                case PATH_HEALTH, PATH_HEALTH + "/" -> Observe.Check.HEALTH;
                default -> null;
            };
            if (check == null) {
                send(ex, 404, TEXT_TYPE, "Not found\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            ObjectNode h = observe.health(check);
            sendJson(ex, "UP".equals(h.path("status").asText()) ? 200 : 503, h);
        } catch (RuntimeException e) {
            LOG.debug("Health request failed", e);
            send(ex, 500, TEXT_TYPE, String.valueOf(e).getBytes(StandardCharsets.UTF_8));
        }
    }

    private interface Handler {
        void handle() throws IOException;
    }

    private void guarded(HttpExchange ex, Handler h) throws IOException {
        try {
            if (!authorised(ex)) {
                send(ex, 401, TEXT_TYPE, ("This dockwatch asks for its token (" + Settings.HTTP_TOKEN
                        + "): open it with ?token=... or send Authorization: Bearer ...\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            h.handle();
        } catch (RuntimeException e) {
            LOG.debug("Request {} failed", ex.getRequestURI(), e);
            send(ex, 500, TEXT_TYPE, String.valueOf(e).getBytes(StandardCharsets.UTF_8));
        } finally {
            ex.close();
        }
    }

    private boolean authorised(HttpExchange ex) {
        if (token == null) {
            return true;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.startsWith(BEARER) && matches(auth.substring(BEARER.length()).trim())) {
            return true;
        }
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) {
            for (String part : query.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).equals(TOKEN_PARAM)
                        && matches(URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Constant time, so the token cannot be guessed byte by byte from response times. */
    private boolean matches(String candidate) {
        return MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    private static void sendJson(HttpExchange ex, int status, ObjectNode body) throws IOException {
        send(ex, status, JSON_TYPE, Json.MAPPER.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    private static byte[] resource(String name) {
        try (InputStream in = ObserveServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + name + " in the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
