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
 * number and size after it are saved with the spool cursor, and on the first batch after a start
 * anything past that point (a batch written just before a crash, or half of one) is cut off,
 * because the spool delivers it again. So the files hold every record once and no partial line.
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
    private long seq;
    private long size;
    private long openedAtMillis;
    private boolean reconciled;
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
        }
        // before this batch is written, so a failure here never makes the spool send it twice
        housekeep(committed == null ? 0 : committed.path(STATE_SEQ).asLong());
        if (size > 0 && (size >= rolling.maxBytes() || tooOld())) {
            open(seq + 1);
        }
        batch.writeNdjson(out);
        size += batch.ndjsonBytes();
        ObjectNode state = Json.NODES.objectNode();
        state.put(STATE_FILE, fileName(seq));
        state.put(STATE_SEQ, seq);
        state.put(STATE_SIZE, size);
        state.put(STATE_OPENED_AT, openedAtMillis);
        exchange.setProperty(RecordBatch.NEW_SINK_STATE, state);
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
        } else {
            long committedSeq = state.get(STATE_SEQ).asLong();
            long committedSize = state.get(STATE_SIZE).asLong();
            for (var e : existing.tailMap(committedSeq, false).entrySet()) {
                LOG.info("Removing {}: written after the last commit, its records come again from the spool",
                        e.getValue().getFileName());
                Files.delete(e.getValue());
            }
            open(committedSeq);
            if (state.has(STATE_OPENED_AT)) {
                openedAtMillis = state.get(STATE_OPENED_AT).asLong();
            }
            if (size > committedSize) {
                LOG.info("Cutting {} back to {} bytes: the rest comes again from the spool", fileName(seq), committedSize);
                out.truncate(committedSize);
                size = committedSize;
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
            out.close();
        }
        seq = n;
        out = FileChannel.open(dir.resolve(fileName(n)), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
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
