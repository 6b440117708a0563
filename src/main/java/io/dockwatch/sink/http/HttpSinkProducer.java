package io.dockwatch.sink.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.sink.StopAwareWait;
import io.dockwatch.record.Json;
import io.dockwatch.observe.SinkStats;
import io.dockwatch.settings.Settings;
import io.dockwatch.sink.http.HttpFormat;
import io.dockwatch.sink.TlsTrust;
import io.dockwatch.spool.RecordBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a spool batch to the receiver, as one or more requests, and returns only once every record
 * is accepted or dead-lettered. Transient trouble (no connection, 408, 429, 5xx, and 401/403/404/407,
 * which are the operator's to fix, not the data's) is retried here with backoff and jitter, as long
 * as it lasts: retrying inside the batch means a batch split into several requests never sends its
 * first requests twice. Only when the collector stops mid-outage does this give up (within a
 * fraction of a second, or a few seconds for a request under way); the spool then keeps the batch
 * for the next start.
 *
 * <p>Transport is the JDK's {@link HttpClient} rather than camel-http: the sink must see every
 * status and header ({@code Retry-After}) and decide retry versus dead letter itself, which
 * camel-http's exception mapping and its Apache HttpClient 5 stack (and its dependency
 * convergence) only get in the way of; TLS takes a plain {@link javax.net.ssl.SSLContext}.
 */
final class HttpSinkProducer extends DefaultProducer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSinkProducer.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How often a wait looks whether the collector is stopping. */
    private static final long POLL_MS = 100;
    /** How long a request under way may go on once the collector stops. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final String name;
    private final HttpSinkConfig config;
    private HttpBodyFormat bodies;
    private DeadLetters deadLetters;
    private Backoff backoff;
    private URI target;
    private String authorization;
    private HttpClient client;
    private boolean failing;
    /** The sink route's stats (health, status page), when fed by a spool consumer. */
    private SinkStats stats;

    HttpSinkProducer(HttpSinkEndpoint endpoint, String name, HttpSinkConfig config) {
        super(endpoint);
        this.name = name;
        this.config = config;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (config == null) {
            // Camel starts the producers of switched-off routes too; this one fails if given records
            return;
        }
        this.bodies = new HttpBodyFormat(config.format(), config.options(), config.maxBytes());
        this.deadLetters = new DeadLetters(config.deadLetterDir(), "http-" + name);
        this.backoff = new Backoff(config.retryInitial(), config.retryMax());
        URI u = config.url();
        // the JDK client ignores user info in URLs; users write https://user:pass@host/ and mean Basic auth
        String auth = config.authorization();
        if (auth.isEmpty() && u.getRawUserInfo() != null) {
            auth = "Basic " + Base64.getEncoder().encodeToString(u.getUserInfo().getBytes(StandardCharsets.UTF_8));
        }
        this.authorization = auth;
        this.target = URI.create(u.getScheme() + "://" + u.getRawAuthority().substring(u.getRawAuthority().indexOf('@') + 1)
                + (u.getRawPath() == null ? "" : u.getRawPath()) + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                // HTTP/1.1: receivers behind plain proxies and small servers handle it best, and there is one request at a time
                .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER);
        if ("https".equals(config.url().getScheme())) {
            b.sslContext(TlsTrust.context(config.tlsCa()));
        }
        client = b.build();
    }

    /** One batch at a time: the backoff and the failing streak belong to the sink, not to a caller. */
    @Override
    public synchronized void process(Exchange exchange) throws Exception {
        if (config == null) {
            throw new IllegalStateException("The HTTP sink needs " + HttpSinkSettings.URL
                    + " (or url on http-sink:, or camel.component.http-sink.url)");
        }
        stats = exchange.getProperty(SinkStats.PROPERTY, SinkStats.class);
        RecordBatch batch = exchange.getMessage().getMandatoryBody(RecordBatch.class);
        for (HttpPayload p : bodies.payloads(batch.lines())) {
            deliver(p);
        }
    }

    /** Sends until every record of the payload is accepted or dead-lettered. */
    private void deliver(HttpPayload payload) throws Exception {
        Deque<HttpPayload> todo = new ArrayDeque<>();
        todo.add(payload);
        while (!todo.isEmpty()) {
            HttpPayload p = todo.peekFirst();
            HttpResponse<String> r;
            try {
                r = send(p);
            } catch (IOException e) {
                trouble("cannot reach " + config.safeUrl() + ": " + e);
                pause(backoff.nextMs());
                continue;
            }
            int status = r.statusCode();
            if (status >= 200 && status < 300) {
                todo.removeFirst();
                if (config.format() == HttpFormat.ELASTICSEARCH_BULK) {
                    HttpPayload again = bulkItemFailures(p, r.body());
                    if (again != null) {
                        todo.addFirst(again);
                        pause(backoff.nextMs());
                        continue;
                    }
                }
                recovered();
            } else if (retryable(status)) {
                trouble(config.safeUrl() + " answered " + status);
                long wait = Backoff.retryAfterMs(r.headers().firstValue(HttpSinkHeaders.RETRY_AFTER).orElse(null),
                        Instant.now());
                pause(wait >= 0 ? wait : backoff.nextMs());
            } else if (status == 413 && p.records().size() > 1) {
                // too large for this receiver: halve it rather than lose records that would fit
                todo.removeFirst();
                List<byte[]> recs = p.records();
                int half = recs.size() / 2;
                todo.addFirst(bodies.render(recs.subList(half, recs.size())));
                todo.addFirst(bodies.render(recs.subList(0, half)));
            } else {
                todo.removeFirst();
                deadLetter(p.records(), status, r.body());
            }
        }
    }

    /** Statuses that say "later", or that only the operator can fix: retrying keeps the records. */
    static boolean retryable(int status) {
        return status == 401 || status == 403 || status == 404 || status == 407 || status == 408 || status == 429
                || status < 200 || (status >= 300 && status < 400) || status >= 500;
    }

    private HttpResponse<String> send(HttpPayload p) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(config.timeout())
                .header(HttpSinkHeaders.CONTENT_TYPE, p.contentType());
        byte[] body = p.body();
        if (config.gzip()) {
            body = gzip(body);
            b.header(HttpSinkHeaders.CONTENT_ENCODING, HttpSinkHeaders.GZIP);
        }
        if (!authorization.isEmpty()) {
            b.header(HttpSinkHeaders.AUTHORIZATION, authorization);
        }
        p.headers().forEach(b::header);
        b.POST(HttpRequest.BodyPublishers.ofByteArray(body));
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
        long stopNoticed = 0;
        while (true) {
            try {
                return response.get(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException(e.getCause());
            } catch (TimeoutException stillWaiting) {
                if (stopping()) {
                    // a request under way may finish while the collector stops, within a bound
                    stopNoticed = stopNoticed == 0 ? System.nanoTime() : stopNoticed;
                    if (System.nanoTime() - stopNoticed > STOP_GRACE.toNanos()) {
                        response.cancel(true);
                        throw new InterruptedException("Collector stopping: request to " + config.safeUrl() + " abandoned");
                    }
                }
            }
        }
    }

    /**
     * Waits before the next attempt, but not past a stop: the collector must exit within its bound
     * (CONTRACT.md), and the batch stays in the spool for the next start.
     */
    private void pause(long ms) throws InterruptedException {
        StopAwareWait.pause(ms, getEndpoint().getCamelContext(), this, "Collector stopping while " + config.safeUrl()
                + " does not accept records; they stay in the spool");
    }

    private boolean stopping() {
        return StopAwareWait.stopping(getEndpoint().getCamelContext(), this);
    }

    /**
     * The bulk API answers 200 even when some documents failed, item by item in request order. An
     * item's status is judged as a request's would be ({@link #retryable}): the cluster could not
     * take it now (429: queue full or the flood-stage disk block; 5xx), or only the operator can fix
     * it (403: a write block or a role without write permission on the index; 404: no such index
     * and auto-creation off), and it is returned to be sent again; any other failure (400: the
     * document does not fit the mapping) is the data's, and goes to a dead letter.
     */
    private HttpPayload bulkItemFailures(HttpPayload p, String response) throws IOException {
        JsonNode r;
        try {
            r = Json.MAPPER.readTree(response);
        } catch (IOException e) {
            return null;
        }
        if (r == null || !r.path("errors").asBoolean(false)) {
            return null;
        }
        List<byte[]> again = new ArrayList<>();
        String againWhy = "";
        List<byte[]> refused = new ArrayList<>();
        StringBuilder reasons = new StringBuilder();
        int refusedStatus = 0;
        JsonNode items = r.path("items");
        for (int i = 0; i < items.size() && i < p.records().size(); i++) {
            JsonNode result = items.get(i).elements().hasNext() ? items.get(i).elements().next() : Json.NODES.objectNode();
            int status = result.path("status").asInt(200);
            if (status >= 200 && status < 300) {
                continue;
            }
            if (retryable(status)) {
                again.add(p.records().get(i));
                if (againWhy.isEmpty()) {
                    againWhy = status + " " + result.path("error").path("type").asText() + ": "
                            + result.path("error").path("reason").asText();
                }
            } else {
                refused.add(p.records().get(i));
                refusedStatus = refusedStatus == 0 ? status : refusedStatus;
                reasons.append(result.path("error").toString()).append('\n');
            }
        }
        if (!refused.isEmpty()) {
            // the status of the first refused item: the request itself got 200
            deadLetter(refused, refusedStatus, reasons.toString());
        }
        if (again.isEmpty()) {
            return null;
        }
        trouble(config.safeUrl() + " took only part of a bulk request (" + again.size() + " documents to resend, the first: "
                + againWhy + ")");
        return bodies.render(again);
    }

    private void deadLetter(List<byte[]> records, int status, String response) throws IOException {
        Path f = deadLetters.write(records, config.safeUrl(), config.format().spelling(), status, response);
        LOG.warn("HTTP sink {}: {} refused {} records with {}; kept in {}", name, config.safeUrl(), records.size(),
                status, f);
        recovered();
    }

    private void trouble(String what) {
        if (stats != null) {
            stats.trouble(what); // one consistent "Sink NAME failing" line, and health sees it
        } else if (!failing) {
            LOG.warn("HTTP sink {}: {}; retrying with backoff, records stay in the spool", name, what);
        }
        failing = true;
    }

    private void recovered() {
        backoff.reset();
        if (stats != null) {
            stats.fine();
        } else if (failing) {
            LOG.info("HTTP sink {}: {} accepts records again", name, config.safeUrl());
        }
        failing = false;
    }

    static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        }
        return out.toByteArray();
    }
}
