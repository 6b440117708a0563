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

    public void removeAll() {
        names.forEach(Docker::removeQuietly);
        names.clear();
    }
}
