package io.dockwatch.spool;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What start-up (or a reader) skipped in a damaged state file: a torn or garbage line in a spool
 * segment, a checkpoint snapshot or sink cursor that is empty or not JSON after a power loss. Each
 * is one WARN line naming the file, what was wrong and what that costs, and a count by file for
 * {@code dockwatch_state_recovered_total}: the collector starts anyway, because refusing to start
 * on damaged state is a crash loop that loses everything Docker stops keeping meanwhile.
 */
public final class StateRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(StateRecovery.class);

    private final Map<String, LongAdder> byFile = new ConcurrentHashMap<>();

    /** Logs and counts one damaged place: {@code problem} says what was found, {@code consequence} what was done about it. */
    public void recovered(Path file, String problem, String consequence) {
        LOG.warn("Damaged state file {}: {}; {}", file, problem, consequence);
        byFile.computeIfAbsent(file.toString(), f -> new LongAdder()).increment();
    }

    /** Damaged places skipped so far, by file (metrics). */
    public Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<>();
        byFile.forEach((f, n) -> m.put(f, n.sum()));
        return m;
    }

    /** Damaged places skipped so far in all files (tests, status). */
    public long total() {
        return byFile.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
