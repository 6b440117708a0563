package io.dockwatch.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.core.LocalDirectorySSLConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Json;
import io.dockwatch.record.Record;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Docker daemon: its HTTP client (docker-java's zerodep transport, shared by every source of
 * this daemon), the API version negotiated from {@code /version}, and its identity from {@code /info}.
 *
 * <p>Requests are raw HTTP with a versioned path and Jackson trees for answers: the collector
 * keeps every field Docker sends, including ones newer than docker-java's model.
 *
 * <p>Nothing waits forever on a link that died without a word (see docs/dead-links.md):
 * <pre>
 *  request / response (inspect, list, stats, exec)   connect 5 s; no byte for the request timeout
 *                                                    (30 s) fails it
 *  streams (events, logs: {@link DirectStream})      connect 5 s; response head within the request
 *                                                    timeout; then TCP keepalive 10 s + 3 × 5 s
 *  liveness probe (tcp:// only, own connection)      GET /_ping every ping interval (5 s), answer
 *                                                    within the same time, else: health DOWN at
 *                                                    once, pooled connections and every stream of
 *                                                    this daemon dropped; streams reconnect from
 *                                                    their checkpoints, at once when it answers again
 * </pre>
 */
public final class DockerDaemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DockerDaemon.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** {@code dockwatch.docker.timeout}'s default. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** {@code dockwatch.docker.ping.interval}'s default. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(5);

    /** What {@code /version} and {@code /info} said at the last (re)connect. */
    public record Identity(String name, String id, String engineVersion, ApiVersion apiVersion) {
    }

    private final DockerEndpoint endpoint;
    private final String key;
    private final String endpointText;
    /** Replaced, and the old one closed, when the link is found dead: its pooled connections are suspect. */
    private volatile DockerHttpClient http;
    private final javax.net.ssl.SSLContext tls;
    private final Duration requestTimeout;
    private final Duration pingInterval;
    /** Streams open now, so a dead link can abort them all. */
    private final Set<DirectStream> openStreams = ConcurrentHashMap.newKeySet();
    private final Object statusLock = new Object();
    private volatile Identity identity;
    private volatile DaemonStatus status;
    private volatile long systemTimeNanos;
    private volatile long systemTimeAskedAtNanos;
    private Thread prober;
    private volatile boolean closed;
    /** Counts the times the probe found the link back; reconnects waiting on it wake up. */
    private long linkBackCount;
    private final Object linkBack = new Object();

    /** With the default request timeout and ping interval. */
    public DockerDaemon(DockerEndpoint endpoint) {
        this(endpoint, DEFAULT_REQUEST_TIMEOUT, DEFAULT_PING_INTERVAL);
    }

    /**
     * @param requestTimeout how long a request may go without an answer byte (and a stream
     *                       without its response head)
     * @param pingInterval   how often a tcp:// daemon is pinged, and how long a ping may take
     */
    public DockerDaemon(DockerEndpoint endpoint, Duration requestTimeout, Duration pingInterval) {
        this.endpoint = endpoint;
        this.key = endpoint.key();
        this.endpointText = endpoint.uri().toString();
        this.requestTimeout = requestTimeout;
        this.pingInterval = pingInterval;
        this.tls = endpoint.tlsVerify() ? sslConfig().getSSLContext() : null;
        this.http = newClient(4096, requestTimeout);
        this.status = DaemonStatus.initial(this);
    }

    private LocalDirectorySSLConfig sslConfig() {
        return new LocalDirectorySSLConfig(endpoint.certPath().toString());
    }

    /**
     * The transport with both of its bounds: connecting, and the response timeout, which Apache
     * HttpClient applies as the socket timeout of every read of the answer, body included (so
     * it bounds silence, not a long download).
     */
    private DockerHttpClient newClient(int maxConnections, Duration responseTimeout) {
        ZerodepDockerHttpClient.Builder b = new ZerodepDockerHttpClient.Builder()
                .dockerHost(endpoint.uri())
                .maxConnections(maxConnections)
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(responseTimeout);
        if (endpoint.tlsVerify()) {
            b.sslConfig(sslConfig());
        }
        return b.build();
    }

    public DockerEndpoint endpoint() {
        return endpoint;
    }

    /** How long a request may go without an answer ({@code dockwatch.docker.timeout}). */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** {@link DockerEndpoint#key()}, computed once: it names state and tags every record. */
    public String key() {
        return key;
    }

    /** The endpoint as configured, for {@code host.endpoint}. */
    public String endpointText() {
        return endpointText;
    }

    /** Identity from the last successful connect; null before the first. */
    public Identity identity() {
        return identity;
    }

    /** The daemon's {@code Name}, or the endpoint while it has never answered. */
    public String hostName() {
        Identity i = identity;
        return i != null ? i.name() : endpoint.uri().toString();
    }

    /** The daemon's ID from {@code /info}, or null while it has never answered. */
    public String daemonId() {
        Identity i = identity;
        return i != null && i.id() != null && !i.id().isEmpty() ? i.id() : null;
    }

    /** Puts this daemon's identity on a record: {@code host.name}, {@code host.endpoint}, {@code host.daemon_id}. */
    public void stampHost(Record r) {
        r.put(Fields.HOST_NAME, hostName());
        r.put(Fields.HOST_ENDPOINT, endpointText());
        r.put(Fields.HOST_DAEMON_ID, daemonId());
    }

    /** Whether the daemon answers now, since when, and the last error (for the health endpoint). */
    public DaemonStatus status() {
        return status;
    }

    /**
     * The daemon answered (its event stream is open). Only a change is logged: with many daemons,
     * one line per transition and daemon, never one per retry.
     */
    public void markConnected() {
        synchronized (statusLock) {
            DaemonStatus s = status;
            if (!s.connected()) {
                status = s.connectedNow(this);
                if (s.lastError() != null) {
                    LOG.info("Docker at {} is back ({})", endpointText(), hostName());
                }
            }
        }
    }

    /** The daemon did not answer or refused us; logged once per outage, with the reason. */
    public void markDisconnected(Exception error) {
        String reason = explain(error);
        synchronized (statusLock) {
            DaemonStatus s = status;
            boolean firstFailure = s.connected() || s.lastError() == null;
            status = s.disconnectedNow(this, reason);
            if (firstFailure) {
                LOG.warn("Lost Docker events from {}: {}; retrying with backoff, other daemons unaffected", endpointText(),
                        reason);
            }
        }
    }

    // ---- liveness ------------------------------------------------------------------------------

    /**
     * Starts pinging this daemon, if it is a tcp:// one (a unix socket's peer cannot vanish
     * without the kernel knowing); called by whatever opens its long streams, once or more.
     */
    public void startLivenessProbe() {
        synchronized (linkBack) {
            if (prober != null || closed || !"tcp".equals(endpoint.uri().getScheme())) {
                return;
            }
            prober = new Thread(this::probeLoop, "dockwatch-docker-ping-" + key);
            prober.setDaemon(true);
            prober.start();
        }
    }

    private void probeLoop() {
        // its own client and connection: a ping must not queue behind requests, nor reuse a
        // pooled connection that a request left for dead
        DockerHttpClient pingHttp = newClient(1, pingInterval);
        try {
            while (!closed) {
                // while silent, every second: its streams wait for the first answer to come back
                Thread.sleep(status.silent() ? Math.min(1000, pingInterval.toMillis()) : pingInterval.toMillis());
                try {
                    ping(pingHttp);
                    answered();
                } catch (IOException | RuntimeException e) {
                    if (!closed) {
                        noAnswer(e);
                    }
                }
            }
        } catch (InterruptedException e) {
            // closed
        } finally {
            closeQuietly(pingHttp);
        }
    }

    private static void ping(DockerHttpClient client) throws IOException {
        try (Response r = client.execute(new Request.Builder().method(Request.Method.GET).path("/_ping").build())) {
            r.getBody().readAllBytes();
            if (r.getStatusCode() >= 300) {
                throw new IOException("/_ping answered " + r.getStatusCode());
            }
        }
    }

    private void answered() {
        synchronized (statusLock) {
            if (!status.silent()) {
                return;
            }
            status = status.answeredNow();
        }
        LOG.info("Docker at {} answers again; its streams reconnect from their checkpoints", endpointText());
        synchronized (linkBack) {
            linkBackCount++;
            linkBack.notifyAll();
        }
    }

    /**
     * A ping failed. No answer at all (a timeout: packets go nowhere) means a dead link: health
     * DOWN at once, and every connection of this daemon is dropped, since each may be as dead
     * and a quiet one would wait for its keepalive. A refusal is a daemon restarting: the
     * streams hear of it themselves, and health waits for {@code dockwatch.health.daemon.down.after}.
     */
    private void noAnswer(Exception e) {
        if (!isSilence(e)) {
            LOG.debug("Ping of {} failed: {}", endpointText, e.toString());
            return;
        }
        String reason = "no answer to /_ping within " + pingInterval.toSeconds() + " s (" + rootMessage(e) + ")";
        boolean first;
        synchronized (statusLock) {
            first = !status.silent();
            status = status.silentNow(this, reason);
        }
        if (first) {
            LOG.warn("Docker at {}: {}; dropping its connections and streams, which reconnect from their checkpoints"
                    + " once it answers", endpointText, reason);
        }
        dropConnections(reason);
    }

    /** Timeouts (connect or answer) and unreachable routes: the link is silent, nobody refused. */
    static boolean isSilence(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedIOException || t instanceof java.net.NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Drops every connection to this daemon: the pooled ones (requests in flight fail; the next
     * ones connect anew) and every open stream (its reader fails and reconnects from its checkpoint).
     */
    void dropConnections(String why) {
        if (closed) {
            return; // a new client now would never be closed
        }
        DockerHttpClient old = http;
        http = newClient(4096, requestTimeout);
        // closing may wait on a socket of the dead link: never on the probe's thread
        Thread closer = new Thread(() -> closeQuietly(old), "dockwatch-docker-drop-" + key);
        closer.setDaemon(true);
        closer.start();
        for (DirectStream s : openStreams) {
            s.abort("Docker at " + endpointText + " dropped: " + why);
        }
    }

    /** How often the liveness probe has found the link back so far: a reconnect attempt notes it first. */
    public long linkBackCount() {
        synchronized (linkBack) {
            return linkBackCount;
        }
    }

    /**
     * Waits {@code millis} before a reconnect, or less if the liveness probe finds the link back:
     * after an outage the streams return as soon as the daemon answers, not after their backoff.
     * Returns at once if it came back since {@code countBefore} ({@link #linkBackCount()} when the
     * failed attempt began: it may have come back while the attempt was failing).
     *
     * @return whether the link came back (so the backoff can start over)
     */
    public boolean awaitReconnect(long millis, long countBefore) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        synchronized (linkBack) {
            long left;
            while (linkBackCount == countBefore && !closed && (left = deadline - System.nanoTime()) > 0) {
                linkBack.wait(Math.max(1, left / 1_000_000L));
            }
            return linkBackCount != countBefore;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() != null ? ": " + root.getMessage() : "");
    }

    private static void closeQuietly(DockerHttpClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            // dropping it: nothing to do about a failure
        }
    }

    /** Why, in words a user can act on; a refused TLS handshake says which certificates to check. */
    String explain(Exception e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            // with TLS 1.3 a daemon that refuses our client certificate may show as a broken pipe
            // or a reset after the handshake rather than as an SSL alert
            boolean refusedTls = t instanceof SSLException
                    || (endpoint.tlsVerify() && t instanceof java.net.SocketException
                            && !(t instanceof java.net.ConnectException));
            if (refusedTls) {
                return "TLS connection refused (" + t.getMessage() + "): check ca.pem, cert.pem and key.pem in "
                        + endpoint.certPath() + " (our client certificate must be signed by the CA the daemon trusts)";
            }
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Asks the daemon its version, negotiates ours, reads its identity. Called again after every reconnect. */
    public Identity connect() throws DockerApiException {
        JsonNode version = get("/version", null);
        ApiVersion daemonApi = ApiVersion.parse(version.path("ApiVersion").asText("1.41"));
        ApiVersion api = ApiVersion.negotiate(daemonApi);
        // published whole, never half: other threads read host.name from it while this runs
        long askedAt = epochNanosNow();
        JsonNode info = get("/info", api);
        Identity full = new Identity(info.path("Name").asText(), info.path("ID").asText(), version.path("Version").asText(), api);
        this.identity = full;
        this.systemTimeNanos = parseSystemTime(info.path("SystemTime").asText(""));
        this.systemTimeAskedAtNanos = askedAt;
        return full;
    }

    /**
     * Our clock (epoch nanoseconds) just before the request that read {@link #systemTimeNanos()}:
     * their difference is the daemon's clock minus ours plus at most that request's time.
     */
    public long systemTimeAskedAtNanos() {
        return systemTimeAskedAtNanos;
    }

    static long epochNanosNow() {
        Instant n = Instant.now();
        return n.getEpochSecond() * 1_000_000_000L + n.getNano();
    }

    /**
     * The daemon's own clock at the last connect ({@code /info}'s {@code SystemTime}) in epoch
     * nanoseconds, or 0 if it did not say: event positions are in the daemon's time, and a remote
     * daemon's clock may differ from ours.
     */
    public long systemTimeNanos() {
        return systemTimeNanos;
    }

    private static long parseSystemTime(String text) {
        try {
            Instant t = java.time.OffsetDateTime.parse(text).toInstant();
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (java.time.format.DateTimeParseException e) {
            return 0;
        }
    }

    /** GET a versioned API path, e.g. {@code /containers/json?all=1}, as a JSON tree. */
    public JsonNode get(String pathAndQuery) throws DockerApiException {
        return get(pathAndQuery, requireIdentity().apiVersion());
    }

    /** GET with the API version in the path, or none ({@code /version}) when null. */
    private JsonNode get(String pathAndQuery, ApiVersion api) throws DockerApiException {
        try (Response r = open(pathAndQuery, api)) {
            return Json.MAPPER.readTree(r.getBody());
        } catch (IOException e) {
            throw e instanceof DockerApiException d ? d : new DockerApiException(describe(pathAndQuery, e), e);
        }
    }

    /** POSTs JSON to a versioned path (exec create and start); the caller reads the body and closes. */
    public Response post(String pathAndQuery, JsonNode body) throws DockerApiException {
        String path = "/v" + requireIdentity().apiVersion() + pathAndQuery;
        Response r;
        try {
            r = http.execute(new Request.Builder().method(Request.Method.POST).path(path)
                    .putHeader("Content-Type", "application/json")
                    .bodyBytes(Json.MAPPER.writeValueAsBytes(body)).build());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        } catch (RuntimeException e) {
            throw new DockerApiException(describe(pathAndQuery, e), e);
        }
        if (r.getStatusCode() >= 300) {
            String text = readQuietly(r.getBody());
            r.close();
            throw new DockerApiException(endpoint.uri() + " POST " + pathAndQuery + " answered " + r.getStatusCode() + ": "
                    + text.trim(), r.getStatusCode());
        }
        return r;
    }

    /** Opens a streaming GET (events, logs); the caller reads the body and closes the response. */
    public Response stream(String pathAndQuery) throws DockerApiException {
        return open(pathAndQuery, requireIdentity().apiVersion());
    }

    /**
     * Opens a streaming GET on a connection of its own, read as Docker's raw bytes (the log
     * streams: see {@link DirectStream}); the caller closes it.
     */
    public DirectStream directStream(String pathAndQuery) throws IOException {
        String path = "/v" + requireIdentity().apiVersion() + pathAndQuery;
        try {
            return DirectStream.open(endpoint.uri(), tls, path, CONNECT_TIMEOUT, requestTimeout, openStreams::add,
                    openStreams::remove);
        } catch (DockerApiException e) {
            throw e;
        } catch (IOException e) {
            throw new DockerApiException(describe(pathAndQuery, e), e);
        }
    }

    private Response open(String pathAndQuery, ApiVersion api) throws DockerApiException {
        String path = api != null ? "/v" + api + pathAndQuery : pathAndQuery;
        Response r;
        try {
            r = http.execute(new Request.Builder().method(Request.Method.GET).path(path).build());
        } catch (RuntimeException e) {
            // zerodep wraps I/O failures (socket gone, connection refused) in unchecked exceptions
            throw new DockerApiException(describe(pathAndQuery, e), e);
        }
        int status = r.getStatusCode();
        if (status >= 300) {
            String body = readQuietly(r.getBody());
            r.close();
            throw new DockerApiException(endpoint.uri() + " " + pathAndQuery + " answered " + status + ": " + body.trim(), status);
        }
        return r;
    }

    private Identity requireIdentity() throws DockerApiException {
        Identity i = identity;
        if (i == null) {
            i = connect();
        }
        return i;
    }

    private String describe(String path, Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "Docker at " + endpoint.uri() + " unreachable (" + path + "): " + root.getClass().getSimpleName()
                + (root.getMessage() != null ? " " + root.getMessage() : "");
    }

    private static String readQuietly(InputStream in) {
        try {
            byte[] b = in.readNBytes(2048);
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        Thread p;
        synchronized (linkBack) {
            closed = true;
            p = prober;
            linkBack.notifyAll();
        }
        if (p != null) {
            p.interrupt();
        }
        closeQuietly(http);
    }

    @Override
    public String toString() {
        return endpoint.toString();
    }
}
