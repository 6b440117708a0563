package io.dockwatch.observe;

import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

/**
 * The container image's HEALTHCHECK: exit 0 when {@code /observe/health} answers 200. In Java, so
 * the runtime image needs no curl or wget (a JRE is all it has for sure); reads the same
 * environment variables as the collector.
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
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + ObserveServer.PATH_HEALTH;
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
