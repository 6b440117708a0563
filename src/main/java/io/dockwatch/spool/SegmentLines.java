package io.dockwatch.spool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Walks the lines of a spool segment through a fixed buffer: segments are far larger than the
 * collector's heap allows to read at once (64 MiB segments, a 64 MiB heap), so start-up and the
 * drop policy stream them.
 *
 * <p>A line is a record (<code>{...}</code>), a checkpoint ({@code #} + JSON), padding
 * ({@code #} + space: a damaged line that start-up blanked out so readers skip it), or damaged:
 * anything else, or any line holding a NUL byte (what a power loss leaves where data never
 * reached the disk).
 */
final class SegmentLines {
    enum Kind { RECORD, CHECKPOINT, PADDING, DAMAGED }

    /** Checkpoint lines longer than this are not ours (one flush's positions take kilobytes). */
    static final int MAX_CHECKPOINT_LINE = 8 * 1024 * 1024;
    private static final int CHUNK = 256 * 1024;

    interface Visitor {
        /**
         * One whole line {@code [start, end)}, {@code end} being its newline's offset; {@code line}
         * holds a checkpoint line's bytes (from its {@code #}) and is null for other kinds.
         * Returns false to stop the walk.
         */
        boolean line(long start, long end, Kind kind, byte[] line) throws IOException;
    }

    private SegmentLines() {
    }

    /**
     * Visits the whole lines in {@code [from, to)} and returns the offset just after the last
     * newline visited ({@code from} when none): the end of what is whole. Bytes after it are a
     * torn tail.
     */
    static long walk(FileChannel ch, long from, long to, Visitor visitor) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        long pos = from;
        long lineStart = from;
        long wholeEnd = from;
        int first = -1;
        int second = -1;
        int last = -1;
        boolean nul = false;
        ByteArrayOutputStream checkpoint = new ByteArrayOutputStream();
        boolean checkpointTooLong = false;
        while (pos < to) {
            buf.clear();
            buf.limit((int) Math.min(CHUNK, to - pos));
            int n = ch.read(buf, pos);
            if (n <= 0) {
                break;
            }
            byte[] a = buf.array();
            int segmentStart = 0; // start of the current line's bytes within this chunk
            for (int i = 0; i < n; i++) {
                byte b = a[i];
                if (b == '\n') {
                    if (first == '#' && !checkpointTooLong) {
                        checkpoint.write(a, segmentStart, i - segmentStart);
                    }
                    long end = pos + i;
                    Kind kind = nul ? Kind.DAMAGED
                            : end == lineStart ? Kind.PADDING
                            : first == '{' && last == '}' ? Kind.RECORD
                            : first == '#' && second == ' ' ? Kind.PADDING
                            : first == '#' && !checkpointTooLong ? Kind.CHECKPOINT
                            : Kind.DAMAGED;
                    boolean go = visitor.line(lineStart, end, kind, kind == Kind.CHECKPOINT ? checkpoint.toByteArray() : null);
                    wholeEnd = end + 1;
                    if (!go) {
                        return wholeEnd;
                    }
                    lineStart = end + 1;
                    segmentStart = i + 1;
                    first = second = last = -1;
                    nul = false;
                    checkpoint.reset();
                    checkpointTooLong = false;
                    continue;
                }
                if (first < 0) {
                    first = b;
                } else if (second < 0) {
                    second = b;
                }
                last = b;
                nul |= b == 0;
            }
            if (first == '#' && !checkpointTooLong) {
                checkpoint.write(a, segmentStart, n - segmentStart);
                if (checkpoint.size() > MAX_CHECKPOINT_LINE) {
                    checkpointTooLong = true;
                    checkpoint.reset();
                }
            }
            pos += n;
        }
        return wholeEnd;
    }
}
