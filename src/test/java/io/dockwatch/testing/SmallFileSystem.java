package io.dockwatch.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real small file system (tmpfs of a given size, mounted as root) that a test fills with a
 * ballast file and frees again: what a full disk is to the collector, ENOSPC and short writes
 * included. While filled, the ballast is topped up so the space the collector frees (segments
 * its sinks consumed) is taken again at once. Unmounted on close.
 */
public final class SmallFileSystem implements AutoCloseable {
    private final Path dir;
    private final Path ballast;
    private volatile boolean filling;
    private Thread topUp;

    private SmallFileSystem(Path dir) {
        this.dir = dir;
        this.ballast = dir.resolve("ballast");
    }

    /** Mounts a tmpfs of {@code size} (e.g. {@code 16m}) on {@code dir}, made if missing. */
    public static SmallFileSystem mount(Path dir, String size) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        return new SmallFileSystem(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Writes the ballast until the file system is full, and keeps it full until {@link #free}. */
    public void fill() {
        filling = true;
        topUpOnce();
        topUp = new Thread(() -> {
            while (filling) {
                topUpOnce();
                sleep(50);
            }
        }, "ballast-top-up");
        topUp.setDaemon(true);
        topUp.start();
    }

    private synchronized void topUpOnce() {
        if (!filling) {
            return;
        }
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(ballast, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            // ENOSPC: full, as intended
        }
    }

    /** Bytes still free (0 while filled, give or take what a writer took between two top-ups). */
    public long freeBytes() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the ballast: space returns. */
    public void free() {
        filling = false;
        if (topUp != null) {
            try {
                topUp.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            try {
                Files.deleteIfExists(ballast);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() {
        free();
        // lazy: a collector killed a moment ago may still hold a file open on it
        run("umount", "-l", dir.toString());
    }

    private static void run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
