package io.dockwatch.spool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Small state files (the checkpoint snapshot, sink cursors, shared checkpoints): written whole or
 * not at all, and read back without ever stopping a start.
 *
 * <p>Why the fsyncs: a rename is atomic, but without a sync of the new file's data before it a
 * power loss can leave the new name pointing at an empty file (the rename reached the journal,
 * the data did not), and without a sync of the folder after it, the rename itself may be lost.
 */
public final class StateFiles {
    private static final String TMP_SUFFIX = ".tmp";

    private StateFiles() {
    }

    /** Replaces {@code file} with {@code content}: after a crash or power loss it holds the old content or the new. */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + TMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, ByteBuffer.wrap(content));
            ch.force(false);
        } catch (IOException e) {
            // a half-written temporary file only takes space that a full disk lacks
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException d) {
                e.addSuppressed(d);
            }
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(file.getParent());
    }

    /** Makes the folder's entries (a created, renamed or deleted file) survive a power loss. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * The most a write or read of a heap buffer moves at once. The JDK copies a heap buffer through
     * a temporary direct one, kept per thread only up to {@code jdk.nio.maxCachedBufferSize}
     * (256 KiB in jvm.options); a larger one is allocated, zeroed, faulted in and freed again at
     * every call, which a profile of the log path showed costing more than the copy itself. So the
     * spool's and the sinks' megabyte writes and reads go in slices of this size.
     */
    public static final int IO_SLICE_BYTES = 256 * 1024;

    static void writeFully(FileChannel ch, ByteBuffer bb) throws IOException {
        while (bb.hasRemaining()) {
            int n = Math.min(bb.remaining(), IO_SLICE_BYTES);
            bb.position(bb.position() + ch.write(bb.slice(bb.position(), n)));
        }
    }

    /**
     * The JSON object in {@code file}, or null when there is none. A file that is empty, torn or
     * not a JSON object is reported to {@code recovery} with {@code consequence} and read as
     * missing: the caller carries on as if it had never been written.
     */
    public static ObjectNode readObject(Path file, StateRecovery recovery, String consequence) throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        String problem;
        if (content.length == 0) {
            problem = "empty (a power loss before its data reached the disk)";
        } else {
            try {
                JsonNode n = Json.MAPPER.readTree(content);
                if (n instanceof ObjectNode o) {
                    return o;
                }
                problem = "not a JSON object";
            } catch (IOException e) {
                problem = "not valid JSON (" + firstLine(e.getMessage()) + ")";
            }
        }
        recovery.recovered(file, problem, consequence);
        return null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
