package io.dockwatch.testing;

import java.util.ArrayList;
import java.util.List;

/** Names of the containers one test made, so the test removes exactly those (the daemon is shared). */
public final class TestContainers {
    private final List<String> names = new ArrayList<>();

    /** A new unique name, remembered for {@link #removeAll}. */
    public String name(String prefix) {
        String n = Docker.uniqueName(prefix);
        names.add(n);
        return n;
    }

    /**
     * Runs a container without network that prints the numbers 1 to {@code lines} and exits; it is
     * kept until {@link #removeAll}, so its log can still be read after the exit. Returns its name.
     */
    public String runSeq(String prefix, int lines) {
        String n = name(prefix);
        // no network: lifecycle events need none, and the shared daemon's bridge is no test's concern here
        Docker.docker("run", "--network", "none", "--name", n, Docker.TEST_IMAGE, "seq", "1", Integer.toString(lines));
        return n;
    }

    /** The names made so far. */
    public List<String> names() {
        return List.copyOf(names);
    }

    public int size() {
        return names.size();
    }

    public void removeAll() {
        names.forEach(Docker::removeQuietly);
        names.clear();
    }
}
