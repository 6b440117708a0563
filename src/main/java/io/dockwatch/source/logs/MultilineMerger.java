package io.dockwatch.source.logs;

import com.google.re2j.Pattern;

/**
 * Merges continuation lines into the record before them: a line matching the start pattern
 * begins a record, any other line is appended with a newline (a Java stack trace's "\tat ..."
 * lines join their exception). One merger per stream, so stdout and stderr never mix.
 */
final class MultilineMerger {
    /** A merged record ready to emit. */
    record Merged(String stream, String timestamp, String message) {
        byte[] utf8() {
            return message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final Pattern start;
    private final int maxBytes;
    private StringBuilder pending;
    private String pendingTs;
    private String pendingStream;
    private long lastAppendNanos;

    MultilineMerger(Pattern start, int maxBytes) {
        this.start = start;
        this.maxBytes = maxBytes;
    }

    boolean hasPending() {
        return pending != null;
    }

    /** Adds a line; returns the record it completed, if any. */
    Merged add(String stream, String ts, String line) {
        Merged done = null;
        if (pending != null && (start.matcher(line).lookingAt() || pending.length() + line.length() > maxBytes)) {
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
