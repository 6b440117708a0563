package io.dockwatch.source.logs.file;

import java.io.IOException;

/**
 * One container's log read from the files of its log driver ({@link JsonFileLog} for
 * {@code json-file}, {@link LocalLog} for {@code local}): whole lines handed to a {@link LineSink}
 * with the API path's positions, the held file followed through Docker's rotation.
 */
public interface LogFileReader extends AutoCloseable {
    /**
     * Reads and hands over the whole entries that are there, up to about {@code maxBytes}, going on
     * through rotated files, with the loop's lent buffers. Returns the bytes read; 0 when caught up.
     */
    int read(int maxBytes, ReadBuffers lent) throws IOException;

    /** {@link #read(int, ReadBuffers)} with buffers of its own (tests, one-off reads). */
    int read(int maxBytes) throws IOException;

    /** The log ends here (the container is gone or stopped): what is still being joined is delivered. */
    void finish();

    /** Damaged places skipped (entries that were not the driver's format). */
    long skippedBroken();

    @Override
    void close();
}
