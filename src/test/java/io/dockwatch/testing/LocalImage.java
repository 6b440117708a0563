package io.dockwatch.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * dockwatch's container image as users build it here: scripts/build-image.sh (the Dockerfile, with
 * base images made from this machine since no registry is reachable). Built once per test JVM;
 * Docker's layer cache makes a rebuild of unchanged sources take seconds.
 */
public final class LocalImage {
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);
    private static String built;

    private LocalImage() {
    }

    /**
     * The image's name: one per checkout, so tests of two checkouts on one machine never run each
     * other's image, and the image tests of one checkout share their build.
     */
    public static String name() {
        return "dockwatch-it/dockwatch:" + Integer.toHexString(projectRoot().toString().hashCode());
    }

    /** Builds the image (once per JVM) and returns its name. */
    public static synchronized String build() throws IOException, InterruptedException {
        if (built != null) {
            return built;
        }
        Path root = projectRoot();
        Path log = root.resolve("target").resolve("build-image.log");
        Process p = new ProcessBuilder("bash", root.resolve("scripts/build-image.sh").toString(), name())
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("image build took longer than " + BUILD_TIMEOUT + ":\n" + Files.readString(log));
        }
        assertThat(p.exitValue()).as("scripts/build-image.sh:\n%s", Files.readString(log, StandardCharsets.UTF_8)).isZero();
        built = name();
        return built;
    }

    private static Path projectRoot() {
        return Collector.jar().getParent().getParent();
    }
}
