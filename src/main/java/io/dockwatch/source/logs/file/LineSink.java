package io.dockwatch.source.logs.file;

/**
 * Receives whole log lines; the same shape as the API path's line sink, so one follower method
 * takes lines from either path.
 */
@FunctionalInterface
public interface LineSink {
    /**
     * One whole line, {@code message} valid UTF-8 and not reused. {@code safeTs}/{@code safeCount}
     * is a position from which a resumed read repeats nothing delivered and skips nothing not yet
     * delivered, or null while a split line of another stream is still open.
     */
    void line(String stream, String timestamp, byte[] message, String safeTs, int safeCount);
}
