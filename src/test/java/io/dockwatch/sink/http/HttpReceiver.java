package io.dockwatch.sink.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP receiver on 127.0.0.1 (the JDK's server): keeps every request it saw (body
 * un-gzipped) and answers as the test says, so the sink meets refusals, throttling and outages.
 */
public final class HttpReceiver implements AutoCloseable {
    /** What the receiver saw: headers by lower-case name, the body, the time it arrived, and the answer. */
    public record Request(Map<String, String> headers, byte[] body, long nanoTime, int status) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The receiver's answer: status, body and extra headers. */
    record Answer(int status, String body, Map<String, String> headers) {
        static Answer ok() {
            return new Answer(200, "{}", Map.of());
        }

        static Answer of(int status, String body) {
            return new Answer(status, body, Map.of());
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final int port;
    private final SSLContext tls;
    private volatile Function<Request, Answer> answers = r -> Answer.ok();
    private HttpServer server;

    HttpReceiver(int port, SSLContext tls) {
        this.port = port;
        this.tls = tls;
        start();
    }

    public HttpReceiver(int port) {
        this(port, null);
    }

    /** (Re)opens the port, as a receiver coming back after an outage. */
    public synchronized void start() {
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
                if (tls != null) {
                    HttpsServer s = HttpsServer.create(at, 50);
                    s.setHttpsConfigurator(new HttpsConfigurator(tls));
                    server = s;
                } else {
                    server = HttpServer.create(at, 50);
                }
                server.createContext("/", this::handle);
                server.setExecutor(Executors.newSingleThreadExecutor());
                server.start();
                return;
            } catch (IOException e) {
                last = e; // the port of a just-stopped server may take a moment to free
                sleep(100);
            }
        }
        throw new UncheckedIOException(last);
    }

    /** Closes the port: the sink now meets "connection refused". */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
            server = null;
        }
    }

    void answer(Function<Request, Answer> answers) {
        this.answers = answers;
    }

    public String url(String path) {
        return (tls != null ? "https" : "http") + "://127.0.0.1:" + port + path;
    }

    List<Request> requests() {
        return new ArrayList<>(requests);
    }

    /** Requests the receiver accepted (2xx). */
    public List<Request> accepted() {
        return requests.stream().filter(r -> r.status() / 100 == 2).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        Map<String, String> headers = new TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        if ("gzip".equals(headers.get("content-encoding"))) {
            try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                body = gz.readAllBytes();
            }
        }
        Request seen = new Request(headers, body, System.nanoTime(), 0);
        Answer a = answers.apply(seen);
        requests.add(new Request(headers, body, seen.nanoTime(), a.status()));
        a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            ex.getResponseBody().write(out);
        }
        ex.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
