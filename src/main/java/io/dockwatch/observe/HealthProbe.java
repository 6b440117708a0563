package io.dockwatch.observe;

import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

/**
 * The container image's fallback health probe (docker/healthcheck.sh uses wget or curl when the
 * base image has one): exit 0 when the path given, by default {@code /observe/health}, answers
 * 200. In Java, so a runtime image with a JRE only still has a probe; reads the same environment
 * variables as the collector.
 */
public final class HealthProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(4);

    private HealthProbe() {
    }

    public static void main(String[] args) {
        String host = env("DOCKWATCH_HTTP_HOST", "127.0.0.1");
        if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
            host = "127.0.0.1"; // bound everywhere: loopback reaches it too
        }
        String port = env("DOCKWATCH_HTTP_PORT", "9876");
        // the image's health check asks for liveness; without an argument, the whole health as before
        String path = args.length > 0 ? args[0] : ObserveServer.PATH_HEALTH;
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path;
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout((int) TIMEOUT.toMillis());
            c.setReadTimeout((int) TIMEOUT.toMillis());
            int status = c.getResponseCode();
            byte[] body = (status < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
            System.out.println(status + " " + new String(body, java.nio.charset.StandardCharsets.UTF_8));
            System.exit(status == 200 ? 0 : 1);
        } catch (Exception e) {
            System.out.println(url + ": " + e);
            System.exit(1);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
