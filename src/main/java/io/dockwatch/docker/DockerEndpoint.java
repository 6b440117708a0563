package io.dockwatch.docker;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One configured Docker endpoint: where it is, whether to use mutual TLS, and a stable key that
 * names its checkpoints (the endpoint, not the daemon ID, so state survives a reinstall).
 */
public record DockerEndpoint(URI uri, boolean tlsVerify, Path certPath) {

    public static DockerEndpoint of(URI configured, Map<String, String> env) {
        Map<String, String> query = query(configured.getRawQuery());
        boolean tls = Boolean.parseBoolean(query.getOrDefault("tls_verify",
                isTrue(env.get("DOCKER_TLS_VERIFY")) ? "true" : "false"));
        String certDir = query.getOrDefault("cert_path", env.getOrDefault("DOCKER_CERT_PATH",
                System.getProperty("user.home") + "/.docker"));
        URI bare = URI.create(configured.getScheme() + "://"
                + (configured.getRawAuthority() == null ? "" : configured.getRawAuthority())
                + (configured.getRawPath() == null ? "" : configured.getRawPath()));
        return new DockerEndpoint(bare, tls && "tcp".equals(bare.getScheme()), Path.of(certDir));
    }

    private static boolean isTrue(String v) {
        return v != null && !v.isEmpty() && !"0".equals(v) && !"false".equalsIgnoreCase(v);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    m.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return m;
    }

    /** File-name-safe key for this endpoint's state: {@code unix_var_run_docker.sock}, {@code tcp_10.0.0.5_2376}. */
    public String key() {
        String s = uri.getScheme() + "_" + (uri.getHost() != null ? uri.getHost() + "_" + uri.getPort() : uri.getPath());
        return s.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("_+", "_");
    }

    @Override
    public String toString() {
        return uri + (tlsVerify ? " (TLS)" : "");
    }
}
