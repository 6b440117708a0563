package io.dockwatch.source.logs;

import com.google.re2j.Pattern;

/**
 * Merges continuation lines into the record before them: a line matching the start pattern
 * begins a record, any other line is appended with a newline (a Java stack trace's "\tat ..."
 * lines join their exception). One merger per stream, so stdout and stderr never mix.
 *
 * <p>The pattern may come from a container's label and runs on the container's output, on a read
 * loop other containers share. RE2/J keeps a match linear in the line, but its cost also grows
 * with the pattern ({@code (.*){1,1000}b} takes about 30 ms on a 100-byte line), so matching is
 * bounded by time too: one match may take {@link #MATCH_DEADLINE_NANOS} of CPU, and a follower's
 * matches together {@link #BUDGET_NANOS} in any {@link #BUDGET_WINDOW_NANOS}; past either,
 * {@link #add} throws {@link TooSlow} and the follower stops merging for that container. CPU time
 * of the thread, not wall time: on a host short of CPU a cheap pattern must not be blamed for the
 * time the thread waited to run.
 */
final class MultilineMerger {
    /** A start pattern is about how a line begins: it sees this much of it, so a 1 MiB piece costs what a short line does. */
    static final int MATCHED_CHARS = 1024;
    static final long MATCH_DEADLINE_NANOS = 100_000_000L;
    static final long BUDGET_NANOS = 250_000_000L;
    static final long BUDGET_WINDOW_NANOS = 1_000_000_000L;

    /** A merged record ready to emit. */
    record Merged(String stream, String timestamp, String message) {
        byte[] utf8() {
            return message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The pattern used up its time; nothing was added. */
    static final class TooSlow extends RuntimeException {
        TooSlow(String why) {
            super(why, null, false, false);
        }
    }

    /** Matching time of one follower's mergers (stdout and stderr share it). */
    static final class Budget {
        private long windowStart = System.nanoTime();
        private long spent;

        /** The CPU time the next match may take: its own bound, or what is left of the window's. */
        long allowed(long now) {
            if (now - windowStart >= BUDGET_WINDOW_NANOS) {
                windowStart = now;
                spent = 0;
            }
            if (spent >= BUDGET_NANOS) {
                throw new TooSlow("matching took " + spent / 1_000_000 + " ms within " + BUDGET_WINDOW_NANOS / 1_000_000 + " ms");
            }
            return Math.min(MATCH_DEADLINE_NANOS, BUDGET_NANOS - spent);
        }

        void spent(long nanos) {
            spent += nanos;
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

    /** This thread's CPU time (wall time where the JVM cannot tell). */
    private static long cpuNanos() {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /**
     * The line as the matcher reads it, one char at a time: once the match used up its CPU time
     * it ends. The wall clock is looked at first (cheap): only when it says the time may be up is
     * the thread's CPU time asked.
     */
    private static final class Deadlined implements CharSequence {
        private final String s;
        private final long cpuStart;
        private final long allowed;
        private long wallCheck;
        private int reads;

        Deadlined(String s, long cpuStart, long allowed) {
            this.s = s;
            this.cpuStart = cpuStart;
            this.allowed = allowed;
            this.wallCheck = System.nanoTime() + allowed;
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 15) == 0 && System.nanoTime() - wallCheck > 0) {
                long used = cpuNanos() - cpuStart;
                if (used >= allowed) {
                    throw new TooSlow("one match took over " + allowed / 1_000_000 + " ms of CPU");
                }
                wallCheck = System.nanoTime() + (allowed - used);
            }
            return s.charAt(index);
        }

        @Override
        public int length() {
            return Math.min(s.length(), MATCHED_CHARS);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return s.subSequence(start, end);
        }

        @Override
        public String toString() {
            return s.substring(0, length());
        }
    }

    private final Pattern start;
    private final int maxBytes;
    private final Budget budget;
    private StringBuilder pending;
    private String pendingTs;
    private String pendingStream;
    private long lastAppendNanos;

    MultilineMerger(Pattern start, int maxBytes) {
        this(start, maxBytes, new Budget());
    }

    MultilineMerger(Pattern start, int maxBytes, Budget budget) {
        this.start = start;
        this.maxBytes = maxBytes;
        this.budget = budget;
    }

    boolean hasPending() {
        return pending != null;
    }

    /** Adds a line; returns the record it completed, if any. Throws {@link TooSlow} (adding nothing) when matching ran out of time. */
    Merged add(String stream, String ts, String line) {
        Merged done = null;
        if (pending != null && (pending.length() + line.length() > maxBytes || startsRecord(line))) {
            done = flush();
        }
        if (pending == null) {
            pending = new StringBuilder(line);
            pendingTs = ts;
            pendingStream = stream;
        } else {
            pending.append('\n').append(line);
        }
        lastAppendNanos = System.nanoTime();
        return done;
    }

    private boolean startsRecord(String line) {
        long allowed = budget.allowed(System.nanoTime());
        long before = cpuNanos();
        boolean starts;
        long used;
        try {
            starts = start.matcher(new Deadlined(line, before, allowed)).lookingAt();
        } catch (StackOverflowError e) {
            // RE2/J adds NFA threads recursively: a huge pattern overflows a small thread stack
            throw new TooSlow("the pattern is too large to match on this thread's stack");
        } finally {
            used = cpuNanos() - before;
            budget.spent(used);
        }
        if (used > allowed) {
            throw new TooSlow("one match took over " + allowed / 1_000_000 + " ms of CPU"); // a line too short to check
        }
        return starts;
    }

    /** The pending record if nothing was appended to it for {@code timeoutNanos}, else null. */
    Merged flushIfIdle(long timeoutNanos) {
        return pending != null && System.nanoTime() - lastAppendNanos >= timeoutNanos ? flush() : null;
    }

    Merged flush() {
        if (pending == null) {
            return null;
        }
        Merged m = new Merged(pendingStream, pendingTs, pending.toString());
        pending = null;
        return m;
    }
}
