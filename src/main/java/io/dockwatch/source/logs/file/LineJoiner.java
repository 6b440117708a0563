package io.dockwatch.source.logs.file;

import io.dockwatch.source.logs.line.LineAssembler;

/**
 * The file path's side of joining long lines: one {@link LineAssembler} per stream (the same
 * joining as the API path), the stream's name and the position handed on with each line.
 */
final class LineJoiner {
    static final int STDOUT = 1;
    static final int STDERR = 2;
    /** Docker's split size for long lines. */
    static final int PARTIAL_CHUNK_BYTES = LineAssembler.DOCKER_CHUNK_BYTES;

    private final boolean tty;
    private final LineSink sink;
    private final LineAssembler[] lines;
    private final LineAssembler.Line[] outs;
    // the position after the entry being handled, for the line it completes
    private String positionTs;
    private int positionCount;

    LineJoiner(boolean tty, int maxLineBytes, LineSink sink) {
        this.tty = tty;
        this.sink = sink;
        this.lines = new LineAssembler[] {null, new LineAssembler(maxLineBytes), new LineAssembler(maxLineBytes)};
        String out = tty ? "tty" : "stdout";
        this.outs = new LineAssembler.Line[] {null, (ts, m) -> deliver(out, ts, m), (ts, m) -> deliver("stderr", ts, m)};
    }

    /**
     * One entry's text {@code b[off, off+len)}, its newline (if it had one) already cut off.
     * {@code positionTs}/{@code positionCount}: the position after this entry.
     */
    void entry(int stream, String ts, byte[] b, int off, int len, boolean newline, String positionTs, int positionCount) {
        if (newline && tty && len > 0 && b[off + len - 1] == '\r') {
            len--; // a terminal ends lines with \r\n
        }
        this.positionTs = positionTs;
        this.positionCount = positionCount;
        lines[stream].entry(ts, b, off, len, newline, outs[stream]);
    }

    /** The log ended after the entry at {@code positionTs}: lines still being joined are delivered as they are. */
    void finish(String positionTs, int positionCount) {
        this.positionTs = positionTs;
        this.positionCount = positionCount;
        for (int s = STDOUT; s <= STDERR; s++) {
            lines[s].finish(outs[s]);
        }
    }

    private void deliver(String stream, String ts, byte[] message) {
        boolean open = lines[STDOUT].open() || lines[STDERR].open();
        sink.line(stream, ts, message, open ? null : positionTs, positionCount);
    }
}
