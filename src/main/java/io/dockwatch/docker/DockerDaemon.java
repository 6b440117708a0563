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
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Docker daemon: its HTTP client (docker-java's zerodep transport, shared by every source of
 * this daemon), the API version negotiated from {@code /version}, and its identity from {@code /info}.
 *
 * <p>Requests are raw HTTP with a versioned path and Jackson trees for answers: the collector
 * keeps every field Docker sends, including ones newer than docker-java's model.
 */
public final class DockerDaemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DockerDaemon.class);

    /** What {@code /version} and {@code /info} said at the last (re)connect. */
    public record Identity(String name, String id, String engineVersion, ApiVersion apiVersion) {
    }

    private final DockerEndpoint endpoint;
    private final String key;
    private final String endpointText;
    private final DockerHttpClient http;
    private final javax.net.ssl.SSLContext tls;
    private volatile Identity identity;
    private volatile DaemonStatus status;
    private volatile long systemTimeNanos;

    public DockerDaemon(DockerEndpoint endpoint) {
        this.endpoint = endpoint;
        this.key = endpoint.key();
        this.endpointText = endpoint.uri().toString();
        ZerodepDockerHttpClient.Builder b = new ZerodepDockerHttpClient.Builder()
                .dockerHost(transportUri(endpoint))
                .maxConnections(4096)
                .connectionTimeout(Duration.ofSeconds(5));
        javax.net.ssl.SSLContext context = null;
        if (endpoint.tlsVerify()) {
            LocalDirectorySSLConfig ssl = new LocalDirectorySSLConfig(endpoint.certPath().toString());
            b.sslConfig(ssl);
            context = ssl.getSSLContext(); // the transport loads the same certificates in build()
        }
        this.http = b.build();
        this.tls = context;
        this.status = DaemonStatus.initial(this);
    }

    private static URI transportUri(DockerEndpoint e) {
        return e.uri();
    }

    public DockerEndpoint endpoint() {
        return endpoint;
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
        DaemonStatus s = status;
        if (!s.connected()) {
            status = s.connectedNow(this);
            if (s.lastError() != null) {
                LOG.info("Docker at {} is back ({})", endpointText(), hostName());
            }
        }
    }

    /** The daemon did not answer or refused us; logged once per outage, with the reason. */
    public void markDisconnected(Exception error) {
        DaemonStatus s = status;
        String reason = explain(error);
        boolean firstFailure = s.connected() || s.lastError() == null;
        status = s.disconnectedNow(this, reason);
        if (firstFailure) {
            LOG.warn("Lost Docker events from {}: {}; retrying with backoff, other daemons unaffected", endpointText(),
                    reason);
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
        JsonNode info = get("/info", api);
        Identity full = new Identity(info.path("Name").asText(), info.path("ID").asText(), version.path("Version").asText(), api);
        this.identity = full;
        this.systemTimeNanos = parseSystemTime(info.path("SystemTime").asText(""));
        return full;
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
            return DirectStream.open(endpoint.uri(), tls, path, Duration.ofSeconds(5));
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
        try {
            http.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return endpoint.toString();
    }
}
