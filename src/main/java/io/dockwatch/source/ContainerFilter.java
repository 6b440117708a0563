package io.dockwatch.source;

import io.dockwatch.enrich.ContainerMetadata;
import io.dockwatch.settings.Settings;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which containers' logs and stats are read: {@code dockwatch.containers.include} /
 * {@code .exclude} (name or image globs, {@code *} and {@code ?}), and the opt-out label
 * {@code dockwatch.enable=false}. Events and config are recorded for every container regardless.
 */
public final class ContainerFilter {
    private final List<Pattern> include;
    private final List<Pattern> exclude;

    public ContainerFilter(List<String> include, List<String> exclude) {
        this.include = include.stream().map(g -> Globs.compile(g, false)).toList();
        this.exclude = exclude.stream().map(g -> Globs.compile(g, false)).toList();
    }

    public static ContainerFilter from(Settings settings) {
        return new ContainerFilter(settings.list(Settings.CONTAINERS_INCLUDE), settings.list(Settings.CONTAINERS_EXCLUDE));
    }

    /** True when this container's logs and stats should be read. */
    public boolean accepts(ContainerMetadata m) {
        if (m == null || m.optedOut()) {
            return false;
        }
        if (!include.isEmpty() && !matchesAny(include, m)) {
            return false;
        }
        return !matchesAny(exclude, m);
    }

    private static boolean matchesAny(List<Pattern> patterns, ContainerMetadata m) {
        for (Pattern p : patterns) {
            if ((m.name() != null && p.matcher(m.name()).matches())
                    || (m.image() != null && p.matcher(m.image()).matches())) {
                return true;
            }
        }
        return false;
    }
}
