package io.dockwatch.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real Docker engine, through its CLI, for integration tests. */
public final class Docker {
    /** Built locally by scripts/test-env.sh: busybox-static imported as a rootfs (no registry here). */
    public static final String TEST_IMAGE = "dockwatch-test/busybox:latest";

    private Docker() {
    }

    /** Runs {@code docker ARGS}; returns trimmed stdout, fails on a non-zero exit. */
    public static String docker(String... args) {
        Result r = tryDocker(args);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("docker " + String.join(" ", args) + " exited " + r.exitCode() + ": " + r.stderr());
        }
        return r.stdout();
    }

    public record Result(int exitCode, String stdout, String stderr) {
    }

    public static Result tryDocker(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("docker " + String.join(" ", args) + " timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim(),
                    new String(err, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new IllegalStateException("docker CLI not runnable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Removes containers quietly (test clean-up). */
    public static void removeQuietly(String... names) {
        for (String n : names) {
            tryDocker("rm", "-f", n);
        }
    }

    /** A container name unique to this test run, so parallel or repeated tests never collide. */
    public static String uniqueName(String prefix) {
        return "dwt-" + prefix + "-" + Long.toString(System.nanoTime(), 36);
    }
}
