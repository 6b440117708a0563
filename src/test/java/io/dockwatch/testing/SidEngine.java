package io.dockwatch.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Debian sid's Docker Engine (docker.io 28.x, API 1.51 at the time of writing), unpacked by
 * scripts/test-env.sh into {@value #DEFAULT_ROOT} beside the system's own 20.10 (API 1.41),
 * which it does not replace: the tests that depend on API versions run against both.
 * Its dockerd starts its own containerd (sid's too); runc stays the system's, because sid's is
 * linked against a newer glibc than this machine has.
 */
public final class SidEngine {
    /** Where scripts/test-env.sh unpacks it; -Ddockwatch.sid.root= for another place. */
    public static final String DEFAULT_ROOT = "/opt/docker-sid";

    private final Path root;

    private SidEngine(Path root) {
        this.root = root;
    }

    /** The unpacked engine; fails with the command that installs it when it is not there. */
    public static SidEngine installed() {
        SidEngine e = new SidEngine(Path.of(System.getProperty("dockwatch.sid.root", DEFAULT_ROOT)));
        if (!Files.isExecutable(e.dockerd())) {
            throw new IllegalStateException("No Debian sid dockerd at " + e.dockerd()
                    + ": run scripts/test-env.sh, which unpacks it there");
        }
        return e;
    }

    public Path dockerd() {
        return root.resolve("usr/sbin/dockerd");
    }

    /** PATH for its dockerd: sid's containerd and shims first, the system's runc after them. */
    String searchPath(String systemPath) {
        return root.resolve("usr/sbin") + ":" + root.resolve("usr/bin") + ":" + systemPath;
    }
}
