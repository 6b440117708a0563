package io.dockwatch.source.logs.file;

/**
 * The buffers a file read loop lends to each log it reads, one log at a time: a log that is not
 * being read holds no buffer, only the end of a line not yet written whole, so a thousand quiet
 * containers cost no more than their open files.
 */
public final class ReadBuffers {
    /** Raw entry lines; one holds at least one whole entry line (see {@link JsonFileLog#MAX_ENTRY_BYTES}). */
    final byte[] read = new byte[JsonFileLog.MAX_ENTRY_BYTES];
    /** Decoded text of a line with escapes. */
    byte[] scratch = new byte[16 * 1024];

    byte[] scratch(int atLeast) {
        if (scratch.length < atLeast) {
            scratch = new byte[Math.max(scratch.length * 2, atLeast)];
        }
        return scratch;
    }
}
