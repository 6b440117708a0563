package io.dockwatch.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dockwatch.docker.ApiVersion;
import io.dockwatch.record.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves recorded Docker API answers over TCP, as a daemon of a given engine would: versioned paths
 * below its minimum API version are refused (Engine 29 refuses below 1.44), {@code /events}
 * replays the recorded stream from {@code since} and then ends, as a restarting daemon would.
 * For fast unit tests beside the real-daemon integration tests, never instead of them.
 */
public final class RecordedDockerApi implements AutoCloseable {
    private final HttpServer server;
    private final String engine;
    private final ApiVersion min;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger eventStreams = new AtomicInteger();

    public RecordedDockerApi(String engine, ApiVersion minApi) {
        this.engine = engine;
        this.min = minApi;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public URI uri() {
        return URI.create("tcp://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<String> requests() {
        return requests;
    }

    public int eventStreamsOpened() {
        return eventStreams.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        requests.add(path + (query == null ? "" : "?" + query));
        String unversioned = path;
        if (path.matches("/v\\d+\\.\\d+/.*")) {
            ApiVersion asked = ApiVersion.parse(path.substring(2, path.indexOf('/', 1)));
            if (asked.compareTo(min) < 0) {
                send(ex, 400, ("{\"message\":\"client version " + asked + " is too old. Minimum supported API version is "
                        + min + ", please upgrade your client to a newer version\"}").getBytes(StandardCharsets.UTF_8));
                return;
            }
            unversioned = path.substring(path.indexOf('/', 1));
        }
        switch (unversioned) {
            case "/version" -> send(ex, 200, fixture("version.json"));
            case "/info" -> send(ex, 200, fixture("info.json"));
            case "/events" -> {
                eventStreams.incrementAndGet();
                send(ex, 200, eventsSince(query));
            }
            default -> send(ex, 404, "{\"message\":\"page not found\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private byte[] eventsSince(String query) throws IOException {
        long sinceNano = 0;
        if (query != null) {
            for (String p : query.split("&")) {
                if (p.startsWith("since=")) {
                    String v = p.substring(6);
                    String[] parts = v.split("\\.");
                    sinceNano = Long.parseLong(parts[0]) * 1_000_000_000L
                            + (parts.length > 1 ? Long.parseLong((parts[1] + "000000000").substring(0, 9)) : 0);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String line : new String(fixture("events-kill-rm.ndjson"), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && Json.MAPPER.readTree(line).path("timeNano").asLong() >= sinceNano) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public byte[] fixture(String name) {
        try (InputStream in = getClass().getResourceAsStream("/docker-api/" + engine + "/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture " + engine + "/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
