package io.dockwatch.source.logs.line;

import io.dockwatch.record.Utf8;
import java.util.Arrays;

/**
 * Joins the entries Docker split one stream's long line into, the same way for every log source:
 * container logs through the API and from json-file files, and swarm service logs (one assembler
 * per stream of a container, or per task and stream of a service).
 *
 * <p>Docker cuts a line over 16 KiB into entries of exactly 16 KiB without a newline
 * (daemon/logger/copier.go); one shorter without a newline is a whole line its writer did not end
 * (a prompt, a program's last output). The line keeps its first entry's timestamp. A line that
 * reaches the cap comes out in pieces of the cap, each cut after a whole entry (so the position
 * after it is exact), and memory stays bounded whatever a container prints. A line of exactly the
 * cap ends with a bare newline entry after its piece: that is no line of its own. Messages come out
 * as valid UTF-8 ({@link Utf8#validCopy}); a piece never ends inside a character: the 1 to 3 bytes
 * of a character Docker's 16 KiB cut split at the cap go at the start of the next piece instead of
 * becoming two U+FFFD. (Only a read resumed exactly between those two pieces, after a crash, loses
 * them: its position is after the whole entry.)
 */
public final class LineAssembler {
    /** Docker's split size for long lines. */
    public static final int DOCKER_CHUNK_BYTES = 16 * 1024;
    /** A joining buffer kept between lines: two of Docker's pieces, not a whole long line. */
    private static final int KEEP_BYTES = 2 * DOCKER_CHUNK_BYTES;

    /** Receives each line (or piece of one) once it is whole. */
    @FunctionalInterface
    public interface Line {
        void line(String timestamp, byte[] message);
    }

    private final int maxLineBytes;
    private byte[] bytes = new byte[0];
    private int len;
    /** The first entry's timestamp while a line is being joined; null otherwise. */
    private String ts;
    /** A piece just went out at the cap: a bare newline next ends that line. */
    private boolean cutAtCap;
    /** The timestamp of the piece before, for a character carried over from it. */
    private String carryTs;

    public LineAssembler(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /** Nothing held: no line being joined, no piece just cut at the cap (its bare newline may follow). */
    public boolean idle() {
        return ts == null && len == 0 && !cutAtCap;
    }

    /** A line is being joined (a position taken now would cut it). */
    public boolean open() {
        return ts != null;
    }

    /**
     * One entry's text {@code b[off, off+n)}, its newline (and a TTY's {@code \r}) already cut off;
     * {@code newline}: it had one. Calls {@code out} for a line it completes.
     */
    public void entry(String entryTs, byte[] b, int off, int n, boolean newline, Line out) {
        boolean afterCut = cutAtCap;
        cutAtCap = false;
        if (afterCut && newline && n == 0 && len == 0) {
            return; // the line ended exactly at a piece's cut
        }
        if (!newline && n >= DOCKER_CHUNK_BYTES) {
            if (ts == null) {
                ts = entryTs;
            }
            append(b, off, n);
            if (len >= maxLineBytes) {
                deliverPiece(out);
            }
            return;
        }
        if (ts == null && len == 0) {
            out.line(entryTs, Utf8.validCopy(b, off, n)); // nearly every line: one copy, no joining
            return;
        }
        append(b, off, n);
        String lineTs = ts != null ? ts : entryTs;
        byte[] message = Utf8.validCopy(bytes, 0, len);
        reset(0);
        out.line(lineTs, message);
    }

    /** The log ended: a line still being joined goes out as it is. */
    public void finish(Line out) {
        if (ts == null && len == 0) {
            return;
        }
        String lineTs = ts != null ? ts : carryTs;
        byte[] message = Utf8.validCopy(bytes, 0, len);
        reset(0);
        out.line(lineTs, message);
    }

    private void deliverPiece(Line out) {
        int cut = characterBoundary(bytes, len);
        byte[] message = Utf8.validCopy(bytes, 0, cut);
        String pieceTs = ts;
        reset(cut);
        carryTs = pieceTs;
        cutAtCap = true;
        out.line(pieceTs, message);
    }

    /** Where {@code b[0, len)} can be cut without splitting a character: len, or the start of an incomplete last one. */
    static int characterBoundary(byte[] b, int len) {
        int i = len - 1;
        int continuation = 0;
        while (i >= 0 && continuation < 3 && (b[i] & 0xC0) == 0x80) {
            i--;
            continuation++;
        }
        if (i < 0) {
            return len;
        }
        int lead = b[i] & 0xFF;
        int need = lead >= 0xF0 && lead <= 0xF4 ? 3 : lead >= 0xE0 && lead < 0xF0 ? 2 : lead >= 0xC2 && lead < 0xE0 ? 1 : -1;
        return need > continuation ? i : len; // an invalid sequence is cut as it is (it becomes U+FFFD either way)
    }

    private void append(byte[] b, int off, int n) {
        if (len + n > bytes.length) {
            // doubling, but not past the cap: a piece is at most the cap and one entry
            bytes = Arrays.copyOf(bytes, Math.max(len + n, Math.min(bytes.length * 2, maxLineBytes)));
        }
        System.arraycopy(b, off, bytes, len, n);
        len += n;
    }

    /** Ends the line; keeps {@code bytes[from, len)} (a split character) as the start of the next piece. */
    private void reset(int from) {
        ts = null;
        int keep = from == 0 ? 0 : len - from;
        if (keep > 0) {
            System.arraycopy(bytes, from, bytes, 0, keep);
        }
        len = keep;
        if (keep == 0 && bytes.length > KEEP_BYTES) {
            bytes = new byte[0]; // no long line's buffer is kept once it is out
        }
    }
}
