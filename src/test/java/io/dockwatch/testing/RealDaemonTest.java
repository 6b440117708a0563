package io.dockwatch.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of the integration tests on the real daemon: a work folder, and the test's own containers. */
public abstract class RealDaemonTest {
    @TempDir
    protected Path work;
    protected final TestContainers containers = new TestContainers();

    @AfterEach
    void removeTestContainers() {
        containers.removeAll();
    }

    /** A unique container name this test owns; the container is removed after the test. */
    protected String name(String prefix) {
        return containers.name(prefix);
    }
}
