package io.dockwatch.source.logs.file;

import java.io.IOException;
import java.io.InputStream;

/**
 * What {@link LogFileChain} needs to know of a log driver's entries to find where a read starts:
 * the last entry's time in a file and the number of entries in it. Both drivers rotate the same way
 * (moby's loggerutils), so the chain is otherwise the same.
 */
interface EntryFormat {
    /** The fixed-form timestamp of the last whole entry of {@code b}, which ends where its file ends; null if none. */
    String lastTime(byte[] b);

    /** Whole entries in the stream (a file's content). */
    long countEntries(InputStream in) throws IOException;
}
