package io.dockwatch.sink.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import io.dockwatch.spool.RecordBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes record batches as NDJSON to {@code PREFIX-NNNNNN.ndjson}, starting the next number when
 * a file reaches its size (or, if set, its age). Each batch is one {@code write()}; the file's
 * number and size after it are saved with the spool cursor, and before every batch anything past
 * that point (batches written just before a crash, or half of one) is cut off, because the spool
 * delivers it again. A write that fails part way (a full disk) is cut back at once. So the files
 * hold every record once and no partial line. The file is forced to disk before a batch's state
 * goes to the cursor, and because anything past the saved state is cut off, the cursor may be
 * saved once per group of batches ({@link RecordBatch#COMMIT_MAY_WAIT}; see docs/durability.md).
 *
 * <p>Closed files are compressed ({@code .ndjson.gz}) and pruned by count and age only once the
 * roll that closed them is committed (their number is below the committed one): until then a
 * restart may still reopen and cut them back. The file being written is never touched.
 */
final class NdjsonFileProducer extends DefaultProducer {
    private static final Logger LOG = LoggerFactory.getLogger(NdjsonFileProducer.class);
    /** Sink state saved with the spool cursor. */
    static final String STATE_FILE = "file";
    static final String STATE_SEQ = "seq";
    static final String STATE_SIZE = "size";
    static final String STATE_OPENED_AT = "opened_at";
    static final String GZ_SUFFIX = ".gz";
    private static final String TMP_SUFFIX = ".tmp";
    /** Age-based retention is looked at again this often even when no file is closed. */
    private static final long AGE_CHECK_MS = 60_000;

    private final Path dir;
    private final String prefix;
    private final NdjsonFileEndpoint.Rolling rolling;
    private final Pattern namePattern;
    private FileChannel out;
    /** The name of file {@code seq}: made once per file, not per batch (String.format showed in a profile). */
    private String fileName;
    private long seq;
    private long size;
    private long openedAtMillis;
    private boolean reconciled;
    /** Where the output ends as the spool cursor knows it: the last commit, or the file begun without one. */
    private long committedSeq;
    private long committedSize;
    private long housekeptBelow;
    private long housekeptAtMillis;

    NdjsonFileProducer(NdjsonFileEndpoint endpoint, Path dir, String prefix, NdjsonFileEndpoint.Rolling rolling) {
        super(endpoint);
        this.dir = dir;
        this.prefix = prefix;
        this.rolling = rolling;
        this.namePattern = Pattern.compile(Pattern.quote(prefix) + "-(\\d{6,})\\.ndjson(" + Pattern.quote(GZ_SUFFIX) + ")?");
    }

    @Override
    public synchronized void process(Exchange exchange) throws Exception {
        RecordBatch batch = exchange.getMessage().getMandatoryBody(RecordBatch.class);
        JsonNode committed = exchange.getMessage().getHeader(RecordBatch.SINK_STATE_HEADER, JsonNode.class);
        if (!reconciled) {
            reconcile(committed);
        } else if (committed != null && committed.has(STATE_SEQ)) {
            committedSeq = committed.get(STATE_SEQ).asLong();
            committedSize = committed.get(STATE_SIZE).asLong();
        }
        if (seq != committedSeq || size != committedSize || out.size() != size) {
            // the last batch was written but not committed (or not whole): the spool sends it again
            cutBackTo(committedSeq, committedSize);
        }
        // before this batch is written, so a failure here never makes the spool send it twice
        housekeep(committed == null ? 0 : committed.path(STATE_SEQ).asLong());
        if (size > 0 && (size >= rolling.maxBytes() || tooOld())) {
            open(seq + 1);
        }
        long before = size;
        try {
            batch.writeNdjson(out);
            size += batch.ndjsonBytes();
            // on disk before the cursor (itself synced) says these records are delivered: a cursor
            // past what a power loss left in the file would lose those records for good
            out.force(false);
        } catch (IOException e) {
            // a short write and then ENOSPC: a record is in the file whole or not at all
            try {
                out.truncate(before);
            } catch (IOException t) {
                e.addSuppressed(t); // cut before the next batch (the size check above)
            }
            size = before;
            throw e;
        }
        ObjectNode state = Json.NODES.objectNode();
        state.put(STATE_FILE, fileName);
        state.put(STATE_SEQ, seq);
        state.put(STATE_SIZE, size);
        state.put(STATE_OPENED_AT, openedAtMillis);
        exchange.setProperty(RecordBatch.NEW_SINK_STATE, state);
        // the cursor may be saved a little later: a restart cuts the file back to the size it
        // saved and the spool sends the rest again. Not when this batch began a file (files below
        // the committed one are compressed and pruned, which a restart must never need to reopen),
        // nor before any state was saved (a restart without one never cuts a file back).
        boolean stateSaysThisFile = committed != null && committed.has(STATE_SEQ) && seq == committedSeq;
        exchange.setProperty(RecordBatch.COMMIT_MAY_WAIT, stateSaysThisFile);
    }

    /** Back to the committed end of the output: later files removed, the committed one cut to its size. */
    private void cutBackTo(long toSeq, long toSize) throws IOException {
        if (seq != toSeq) {
            for (var e : existingFiles().tailMap(toSeq, false).entrySet()) {
                LOG.info("Removing {}: written after the last commit, its records come again from the spool",
                        e.getValue().getFileName());
                Files.delete(e.getValue());
            }
            long openedAt = openedAtMillis;
            open(toSeq);
            openedAtMillis = openedAt;
        }
        long actual = out.size();
        if (actual > toSize) {
            LOG.info("Cutting {} back to {} bytes: the rest comes again from the spool", fileName(seq), toSize);
            out.truncate(toSize);
            size = toSize;
        } else if (actual < toSize) {
            // the file lost its tail (a power loss before it was forced to disk, or someone cut it)
            LOG.warn("{} is {} bytes, shorter than the {} bytes delivered to it; writing on at its end",
                    fileName(seq), actual, toSize);
            size = actual;
            committedSize = actual;
        } else {
            size = toSize;
        }
        out.position(size);
    }

    private boolean tooOld() {
        return rolling.maxAge() != null && System.currentTimeMillis() - openedAtMillis >= rolling.maxAge().toMillis();
    }

    private void reconcile(JsonNode state) throws IOException {
        Files.createDirectories(dir);
        TreeMap<Long, Path> existing = existingFiles();
        if (state == null || !state.has(STATE_SEQ)) {
            // no committed state: never truncate what is there, continue in a new file
            open(existing.isEmpty() ? 1 : existing.lastKey() + 1);
            committedSeq = seq;
            committedSize = size;
        } else {
            committedSeq = state.get(STATE_SEQ).asLong();
            committedSize = state.get(STATE_SIZE).asLong();
            seq = -1; // not open yet: cutBackTo opens the committed file and removes later ones
            cutBackTo(committedSeq, committedSize);
            if (state.has(STATE_OPENED_AT)) {
                openedAtMillis = state.get(STATE_OPENED_AT).asLong();
            }
        }
        // a compression cut short by a crash: the plain file is still there, whole
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(prefix + "-")
                    && p.getFileName().toString().endsWith(GZ_SUFFIX + TMP_SUFFIX)).toList()) {
                Files.deleteIfExists(p);
            }
        }
        housekeptBelow = 0;
        housekeptAtMillis = 0;
        reconciled = true;
    }

    /** Files of this sink by number, plain or compressed (the compressed one wins if both exist). */
    private TreeMap<Long, Path> existingFiles() throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Matcher m = namePattern.matcher(p.getFileName().toString());
                if (m.matches()) {
                    long n = Long.parseLong(m.group(1));
                    if (m.group(2) != null || !files.containsKey(n)) {
                        files.put(n, p);
                    }
                }
            }
        }
        return files;
    }

    /** Compresses and prunes the files below the committed number: closed, and never reopened. */
    private void housekeep(long committedSeq) {
        long closedBelow = Math.min(committedSeq, seq);
        boolean ageCheckDue = rolling.keepAge() != null
                && System.currentTimeMillis() - housekeptAtMillis >= AGE_CHECK_MS;
        if ((closedBelow <= housekeptBelow && !ageCheckDue)
                || !(rolling.gzip() || rolling.keepFiles() > 0 || rolling.keepAge() != null)) {
            return;
        }
        try {
            TreeMap<Long, Path> closed = new TreeMap<>(existingFiles().headMap(closedBelow, false));
            if (rolling.gzip()) {
                for (var e : closed.entrySet()) {
                    String name = e.getValue().getFileName().toString();
                    if (!name.endsWith(GZ_SUFFIX)) {
                        e.setValue(gzip(e.getValue()));
                    } else {
                        // a crash between the rename and the delete left both: the .gz is whole
                        Files.deleteIfExists(e.getValue().resolveSibling(name.substring(0, name.length() - GZ_SUFFIX.length())));
                    }
                }
            }
            List<Path> expired = new ArrayList<>();
            if (rolling.keepFiles() > 0 && closed.size() > rolling.keepFiles()) {
                expired.addAll(new ArrayList<>(closed.values()).subList(0, closed.size() - rolling.keepFiles()));
            }
            if (rolling.keepAge() != null) {
                long cutoff = System.currentTimeMillis() - rolling.keepAge().toMillis();
                for (Path p : closed.values()) {
                    if (Files.getLastModifiedTime(p).toMillis() < cutoff && !expired.contains(p)) {
                        expired.add(p);
                    }
                }
            }
            for (Path p : expired) {
                Files.deleteIfExists(p);
                LOG.debug("Removed {} (retention)", p.getFileName());
            }
            housekeptBelow = closedBelow;
            housekeptAtMillis = System.currentTimeMillis();
        } catch (IOException e) {
            // the records are safe in the files: compression and pruning are tried again at the next batch
            LOG.warn("Compressing or pruning closed files in {} failed: {}", dir, e.toString());
        }
    }

    /** {@code X.ndjson} to {@code X.ndjson.gz}, whole or not at all (via a temporary file and a rename). */
    private static Path gzip(Path plain) throws IOException {
        Path gz = plain.resolveSibling(plain.getFileName() + GZ_SUFFIX);
        Path tmp = plain.resolveSibling(plain.getFileName() + GZ_SUFFIX + TMP_SUFFIX);
        FileTime written = Files.getLastModifiedTime(plain);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            try (InputStream in = Files.newInputStream(plain);
                    OutputStream gzOut = new GZIPOutputStream(Channels.newOutputStream(ch), 64 * 1024)) {
                in.transferTo(gzOut);
                gzOut.flush();
                ((GZIPOutputStream) gzOut).finish();
                ch.force(true);
            }
        }
        Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // age-based retention reads when the records were written, not when they were compressed
        Files.setLastModifiedTime(gz, written);
        Files.delete(plain);
        return gz;
    }

    private String fileName(long n) {
        return String.format("%s-%06d.ndjson", prefix, n);
    }

    private void open(long n) throws IOException {
        if (out != null) {
            out.force(false);
        }
        // the new file first: if it cannot be made, the old one stays open and usable
        FileChannel next = FileChannel.open(dir.resolve(fileName(n)), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (out != null) {
            out.close();
        }
        out = next;
        seq = n;
        fileName = fileName(n);
        size = out.size();
        out.position(size);
        openedAtMillis = System.currentTimeMillis();
    }

    @Override
    protected void doStop() throws Exception {
        if (out != null) {
            out.force(false);
            out.close();
            out = null;
        }
        reconciled = false;
        super.doStop();
    }
}
