package io.dockwatch.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** Restarts the machine's real dockerd, as an operator's upgrade or a crash would. */
public final class DockerEngine {
    /** Where the main dockerd, started without --pidfile, writes its pid. */
    private static final String MAIN_PID_FILE = "/var/run/docker.pid";

    private DockerEngine() {
    }

    /** Stops dockerd, waits until it is gone, starts it again as scripts/test-env.sh does, waits for it. */
    public static void restart() {
        // by its pid file: other dockerd processes (the fleet tests' extra daemons) are left alone
        String pid = sh("cat " + MAIN_PID_FILE + " 2>/dev/null").trim();
        sh("kill -TERM " + pid + " || true");
        Awaitility.await("dockerd gone").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> pid.isEmpty() || !java.nio.file.Files.exists(java.nio.file.Path.of("/proc/" + pid)));
        sh("mkdir -p /var/log/dockwatch-test; nohup dockerd >>/var/log/dockwatch-test/dockerd.log 2>&1 &");
        Awaitility.await("dockerd back").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Docker.tryDocker("version", "--format", "{{.Server.Version}}").exitCode() == 0);
    }

    private static String sh(String script) {
        try {
            Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
