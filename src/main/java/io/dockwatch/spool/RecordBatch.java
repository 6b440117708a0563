package io.dockwatch.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A batch of serialised records (one JSON object each, no newline) on its way from the spool to a
 * sink. The spool hands over its read buffer with the records' offsets, not a copy per record:
 * a sink that writes bytes (the file sink) writes the buffer's ranges as they are; a sink that
 * needs records one by one asks for {@link #lines()}.
 */
public final class RecordBatch {
    /** Exchange header: the sink state saved with the cursor at the last commit (a JsonNode, or absent). */
    public static final String SINK_STATE_HEADER = "DockwatchSinkState";
    /** Exchange property a sink sets to the state to save with the cursor once this batch is delivered. */
    public static final String NEW_SINK_STATE = "DockwatchNewSinkState";
    /**
     * Exchange property a sink sets (to {@code true}) when the cursor may be saved a little later
     * than this batch: its output is made to agree with the saved state at start-up, so a crash
     * in between resends nothing twice (see {@link Reader#commit(Spool.Position, com.fasterxml.jackson.databind.JsonNode, boolean)}).
     */
    public static final String COMMIT_MAY_WAIT = "DockwatchCommitMayWait";
    /** Exchange header on one-record exchanges ({@code spool:...?batch=false}): the record's kind. */
    public static final String KIND_HEADER = "DockwatchKind";

    private final byte[] data;
    private final int[] starts;
    private final int[] ends;
    private List<byte[]> lines;

    /** A batch over a buffer: record i is {@code data[starts[i], ends[i])}. */
    public RecordBatch(byte[] data, int[] starts, int[] ends) {
        this.data = data;
        this.starts = starts;
        this.ends = ends;
    }

    /** A batch of separate records (tests, sinks that build batches themselves). */
    public RecordBatch(List<byte[]> lines) {
        this.data = null;
        this.starts = null;
        this.ends = null;
        this.lines = List.copyOf(lines);
    }

    public int size() {
        return lines != null ? lines.size() : starts.length;
    }

    /** Each record's JSON bytes. */
    public List<byte[]> lines() {
        if (lines == null) {
            List<byte[]> l = new ArrayList<>(starts.length);
            for (int i = 0; i < starts.length; i++) {
                l.add(Arrays.copyOfRange(data, starts[i], ends[i]));
            }
            lines = l;
        }
        return lines;
    }

    /** Total bytes as NDJSON (records plus a newline each). */
    public long ndjsonBytes() {
        long n = 0;
        if (lines != null) {
            for (byte[] l : lines) {
                n += l.length + 1;
            }
        } else {
            for (int i = 0; i < starts.length; i++) {
                n += ends[i] - starts[i] + 1;
            }
        }
        return n;
    }

    /** Writes the batch as NDJSON: adjacent records of the spool buffer go out as one range. */
    public void writeNdjson(GatheringByteChannel out) throws IOException {
        List<ByteBuffer> ranges = new ArrayList<>();
        if (lines != null) {
            for (byte[] l : lines) {
                ranges.add(ByteBuffer.wrap(l));
                ranges.add(ByteBuffer.wrap(NEWLINE));
            }
        } else {
            int i = 0;
            while (i < starts.length) {
                int from = starts[i];
                int to = ends[i] + 1; // with its newline
                while (i + 1 < starts.length && starts[i + 1] == to) {
                    i++;
                    to = ends[i] + 1;
                }
                // in slices: see StateFiles.IO_SLICE_BYTES
                for (int at = from; at < to; at += StateFiles.IO_SLICE_BYTES) {
                    ranges.add(ByteBuffer.wrap(data, at, Math.min(StateFiles.IO_SLICE_BYTES, to - at)));
                }
                i++;
            }
        }
        ByteBuffer[] bufs = ranges.toArray(ByteBuffer[]::new);
        long remaining = 0;
        for (ByteBuffer b : bufs) {
            remaining += b.remaining();
        }
        while (remaining > 0) {
            remaining -= out.write(bufs);
        }
    }

    /** The batch as NDJSON bytes (UTF-8, a newline after every record), one copy. */
    public byte[] toNdjson() {
        long size = ndjsonBytes();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("A batch of " + size + " bytes does not fit one array");
        }
        byte[] out = new byte[(int) size];
        int at = 0;
        if (lines != null) {
            for (byte[] l : lines) {
                System.arraycopy(l, 0, out, at, l.length);
                at += l.length;
                out[at++] = '\n';
            }
        } else {
            for (int i = 0; i < starts.length; i++) {
                int length = ends[i] - starts[i];
                System.arraycopy(data, starts[i], out, at, length);
                at += length;
                out[at++] = '\n';
            }
        }
        return out;
    }

    /**
     * The records as NDJSON text: whatever turns a batch into a String (a log: endpoint, a
     * {@code ${body}}, a converter-less {@code convertBodyTo}) gets the records, never an object id.
     */
    @Override
    public String toString() {
        return new String(toNdjson(), StandardCharsets.UTF_8);
    }

    private static final byte[] NEWLINE = {'\n'};
}
