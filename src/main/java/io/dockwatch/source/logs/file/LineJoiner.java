package io.dockwatch.source.logs.file;

import io.dockwatch.record.Utf8;
import java.util.Arrays;

/**
 * Joins the entries Docker split a long line into: an entry without a newline of at least 16 KiB
 * is a piece (daemon/logger/copier.go splits at that size); one shorter without a newline is a
 * whole line its writer did not end (a prompt, a program's last output). The line keeps its first
 * piece's timestamp; a line that reaches the cap comes out in pieces of the cap, so memory stays
 * bounded whatever a container prints.
 */
final class LineJoiner {
    static final int STDOUT = 1;
    static final int STDERR = 2;
    /** Docker's split size for long lines. */
    static final int PARTIAL_CHUNK_BYTES = 16 * 1024;

    private final boolean tty;
    private final int maxLineBytes;
    private final LineSink sink;
    private final Pieces[] pieces;

    private static final class Pieces {
        final int cap;
        byte[] bytes = new byte[0];
        int len;
        /** The last entry filled a piece to the cap and it went out: a bare newline next ends that line. */
        boolean cutAtCap;

        Pieces(int cap) {
            this.cap = cap;
        }
        String ts;

        boolean open() {
            return ts != null;
        }

        void append(byte[] b, int off, int n) {
            if (len + n > bytes.length) {
                // doubling, but not past the cap: a line at the cap is delivered, never held twice over
                bytes = Arrays.copyOf(bytes, Math.max(len + n, Math.min(bytes.length * 2, cap)));
            }
            System.arraycopy(b, off, bytes, len, n);
            len += n;
        }

        void clear() {
            ts = null;
            len = 0;
            if (bytes.length > 1024 * 1024) {
                bytes = new byte[0];
            }
        }
    }

    LineJoiner(boolean tty, int maxLineBytes, LineSink sink) {
        this.tty = tty;
        this.maxLineBytes = maxLineBytes;
        this.sink = sink;
        this.pieces = new Pieces[] {null, new Pieces(maxLineBytes), new Pieces(maxLineBytes)};
    }

    /**
     * One entry's text {@code b[off, off+len)}, its newline (if it had one) already cut off.
     * {@code positionTs}/{@code positionCount}: the position after this entry.
     */
    void entry(int stream, String ts, byte[] b, int off, int len, boolean newline, String positionTs, int positionCount) {
        if (newline && tty && len > 0 && b[off + len - 1] == '\r') {
            len--; // a terminal ends lines with \r\n
        }
        Pieces p = pieces[stream];
        boolean afterCut = p.cutAtCap;
        p.cutAtCap = false;
        if (afterCut && newline && len == 0) {
            return; // the line ended exactly at a piece's cut: its newline is no line of its own (as on the API path)
        }
        if (!newline && len >= PARTIAL_CHUNK_BYTES) {
            if (!p.open()) {
                p.ts = ts;
            }
            p.append(b, off, len);
            if (p.len >= maxLineBytes) {
                deliverPieces(stream, positionTs, positionCount);
                p.cutAtCap = true;
            }
            return;
        }
        String lineTs = ts;
        byte[] message;
        if (p.open()) {
            p.append(b, off, len);
            lineTs = p.ts;
            message = Utf8.validCopy(p.bytes, 0, p.len);
            p.clear();
        } else {
            message = Utf8.validCopy(b, off, len);
        }
        deliver(stream, lineTs, message, positionTs, positionCount);
    }

    /** The log ended after the entry at {@code positionTs}: lines still being joined are delivered as they are. */
    void finish(String positionTs, int positionCount) {
        for (int s = STDOUT; s <= STDERR; s++) {
            if (pieces[s].open()) {
                deliverPieces(s, positionTs, positionCount);
            }
        }
    }

    private void deliverPieces(int stream, String positionTs, int positionCount) {
        Pieces p = pieces[stream];
        byte[] message = Utf8.validCopy(p.bytes, 0, p.len);
        String ts = p.ts;
        p.clear();
        deliver(stream, ts, message, positionTs, positionCount);
    }

    private void deliver(int stream, String ts, byte[] message, String positionTs, int positionCount) {
        boolean open = pieces[STDOUT].open() || pieces[STDERR].open();
        String name = stream == STDERR ? "stderr" : tty ? "tty" : "stdout";
        sink.line(name, ts, message, open ? null : positionTs, positionCount);
    }
}
