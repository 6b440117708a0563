package io.dockwatch.source.tail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import io.dockwatch.spool.Checkpoint;
import io.dockwatch.spool.CheckpointStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails log files named by paths and globs, with a checkpoint per file that survives restarts.
 *
 * <p>A file is known by its identity (device and inode), not its name, and its checkpoint is
 * {@code <prefix>/<dev>:<ino>} = {path, dev, ino, offset, head_len, head_hash}: the offset after
 * the last whole line handed over, and a hash of the file's first bytes (up to 1 KiB).
 *
 * <pre>
 *  every poll:  scan globs ──► identity → path
 *               │  known identity, new name   → same file, renamed (app.log → app.log.1 within the glob)
 *               │  known identity, gone       → rotated away or deleted: keep reading the open
 *               │                               handle until it is quiet for a while, then close
 *               │                               it and drop its checkpoint
 *               │  new identity               → a new file: read from 0
 *               └► read: rotated files first (finish the old file, then the new one), then the rest
 *                    size &lt; offset, or first bytes changed → truncated (copytruncate): from 0
 * </pre>
 *
 * The first bytes are compared on every poll, not only when the size changed: a file cut by
 * copytruncate and written back to its old size (or past it) before the next poll looks unchanged
 * by size and inode alone, and its new lines would be skipped or cut in the middle.
 *
 * At start, a checkpointed file no longer matched by a glob is looked for by identity in its old
 * folder (renamed while the collector was down) and finished from its offset. A partial last line
 * waits for its newline, or is handed over alone once it has waited {@code partialFlush}.
 * A checkpoint moves only when the sink says its lines are durable, so a kill loses nothing and,
 * resuming at the durable offset, repeats nothing.
 */
public final class LogFileTailer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogFileTailer.class);
    static final int HEAD_BYTES = 1024;
    private static final int READ_CHUNK = 64 * 1024;
    private static final int MAX_LINES_PER_BATCH = 1000;
    /** A batch is also handed over at this many bytes: 1,000 long lines are not held at once. */
    private static final int MAX_BATCH_BYTES = 1024 * 1024;
    /** A "line" without a newline this long is handed over in pieces rather than held in memory. */
    private static final int MAX_LINE_BYTES = 1024 * 1024;
    private static final int MAX_GLOB_DEPTH = 32;
    private static final String GLOB_CHARS = "*?[{";

    /** Receives the lines read from one file and the checkpoints they complete. */
    public interface LineSink {
        /** True once the lines and checkpoints are durable; false leaves the checkpoint where it was. */
        boolean accept(Path file, List<String> lines, List<Checkpoint> checkpoints);
    }

    private static final class Tracked {
        final String identity;
        final long dev;
        final long ino;
        Path path;
        FileChannel channel;
        /** Committed: after the last line the sink made durable. */
        long offset;
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        long pendingSinceNanos;
        /** The file's first bytes as read (up to {@link #HEAD_BYTES}): its fingerprint. */
        final byte[] head = new byte[HEAD_BYTES];
        int headLength;
        long headHash;
        boolean rotated;
        long quietSinceNanos;

        Tracked(String identity, long dev, long ino, Path path) {
            this.identity = identity;
            this.dev = dev;
            this.ino = ino;
            this.path = path;
        }
    }

    private record FileId(long dev, long ino) {
        String key() {
            return dev + ":" + ino;
        }
    }

    private final String prefix;
    private final List<String> patterns;
    private final CheckpointStore store;
    private final boolean backlogAll;
    private final LineSink sink;
    private final Duration partialFlush;
    private final Duration rotateWait;
    private final Map<String, Tracked> tracked = new LinkedHashMap<>();

    /**
     * @param prefix       checkpoint key prefix, e.g. {@code host-logs}
     * @param backlogAll   files there before the very first start: read whole (true) or from their end
     * @param partialFlush how long a line without newline waits before it is handed over alone
     * @param rotateWait   how long a rotated-away file must stay quiet before it is closed
     */
    public LogFileTailer(String prefix, List<String> patterns, CheckpointStore store, boolean backlogAll, LineSink sink,
            Duration partialFlush, Duration rotateWait) {
        this.prefix = prefix;
        this.patterns = List.copyOf(patterns);
        this.store = store;
        this.backlogAll = backlogAll;
        this.sink = sink;
        this.partialFlush = partialFlush;
        this.rotateWait = rotateWait;
    }

    private String checkpointKey(String identity) {
        return prefix + "/" + identity;
    }

    /** Opens the files: checkpointed ones at their offsets, the rest per the backlog policy. */
    public void start() {
        Map<String, JsonNode> saved = new LinkedHashMap<>();
        store.withPrefix(prefix + "/").forEach((k, v) -> saved.put(k.substring(prefix.length() + 1), v));
        boolean firstStart = store.get(prefix) == null && saved.isEmpty();
        Map<String, Path> current = scan();
        for (Map.Entry<String, JsonNode> e : saved.entrySet()) {
            JsonNode pos = e.getValue();
            Path where = current.get(e.getKey());
            boolean rotatedWhileDown = false;
            if (where == null) {
                where = findByIdentity(Path.of(pos.path("path").asText()), pos.path("dev").asLong(), pos.path("ino").asLong());
                rotatedWhileDown = where != null;
            }
            if (where == null) {
                LOG.warn("{} went away while dockwatch was stopped; lines written to it after offset {} are lost",
                        pos.path("path").asText(), pos.path("offset").asLong());
                sink.accept(null, List.of(), List.of(new Checkpoint(checkpointKey(e.getKey()), Json.NODES.nullNode())));
                continue;
            }
            Tracked t = open(where, pos.path("dev").asLong(), pos.path("ino").asLong());
            if (t == null) {
                continue;
            }
            t.rotated = rotatedWhileDown;
            t.quietSinceNanos = System.nanoTime();
            resumeAt(t, pos);
        }
        for (Map.Entry<String, Path> e : current.entrySet()) {
            if (tracked.containsKey(e.getKey())) {
                continue;
            }
            FileId id = identity(e.getValue());
            Tracked t = id == null ? null : open(e.getValue(), id.dev(), id.ino());
            if (t != null && firstStart && !backlogAll) {
                try {
                    t.offset = t.channel.size();
                    t.headLength = readHead(t.channel, t.head, (int) Math.min(HEAD_BYTES, t.offset));
                    CRC32C crc = new CRC32C();
                    crc.update(t.head, 0, t.headLength);
                    t.headHash = crc.getValue();
                } catch (IOException ex) {
                    t.offset = 0;
                }
            }
        }
        if (firstStart) {
            ObjectNode marker = Json.NODES.objectNode().put("since", Instant.now().toString());
            sink.accept(null, List.of(), List.of(new Checkpoint(prefix, marker)));
        }
    }

    private void resumeAt(Tracked t, JsonNode pos) {
        long offset = pos.path("offset").asLong();
        int headLength = pos.path("head_len").asInt();
        long headHash = pos.path("head_hash").asLong();
        try {
            long size = t.channel.size();
            if (size < offset || (headLength > 0 && (size < headLength || hash(t.channel, headLength) != headHash))) {
                LOG.info("{} was truncated or replaced while dockwatch was stopped; reading it from the start", t.path);
                return;
            }
            t.offset = offset;
            readHead(t.channel, t.head, headLength);
            t.headLength = headLength;
            t.headHash = headHash;
        } catch (IOException e) {
            LOG.warn("Cannot resume {}: {}", t.path, e.getMessage());
        }
    }

    /** One pass: notice new, renamed, rotated and truncated files, and read what was appended. */
    public void poll() {
        Map<String, Path> current = scan();
        long now = System.nanoTime();
        for (Tracked t : tracked.values()) {
            Path p = current.get(t.identity);
            if (p != null) {
                t.path = p;
                t.rotated = false;
            } else if (!t.rotated) {
                t.rotated = true;
                t.quietSinceNanos = now;
            }
        }
        for (Map.Entry<String, Path> e : current.entrySet()) {
            if (!tracked.containsKey(e.getKey())) {
                FileId id = identity(e.getValue());
                if (id != null && id.key().equals(e.getKey())) {
                    open(e.getValue(), id.dev(), id.ino());
                }
            }
        }
        List<Tracked> order = new ArrayList<>(tracked.values());
        // the old file's last lines come before the new file's first ones
        order.sort(Comparator.comparing((Tracked t) -> !t.rotated).thenComparing(t -> t.path.toString()));
        for (Tracked t : order) {
            read(t, now);
            if (t.rotated && now - t.quietSinceNanos >= rotateWait.toNanos()) {
                finish(t);
            }
        }
    }

    /** Hands over a rotated file's held partial line, drops its checkpoint and closes it. */
    private void finish(Tracked t) {
        List<String> last = t.pending.size() > 0 ? List.of(decode(t.pending.toByteArray(), t.pending.size())) : List.of();
        if (sink.accept(t.path, last, List.of(new Checkpoint(checkpointKey(t.identity), Json.NODES.nullNode())))) {
            closeQuietly(t);
            tracked.remove(t.identity);
        }
    }

    private void read(Tracked t, long now) {
        try {
            long size = t.channel.size();
            long readPos = t.offset + t.pending.size();
            if (size < readPos || headChanged(t, size)) {
                LOG.info("{} was truncated; reading it from the start", t.path);
                t.offset = 0;
                t.pending.reset();
                t.headLength = 0;
                readPos = 0;
            }
            if (size > readPos) {
                t.quietSinceNanos = now;
            }
            List<String> lines = new ArrayList<>();
            long batchBytes = 0;
            long lineEnd = t.offset;
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(READ_CHUNK, Math.max(1, size - readPos)));
            while (readPos < size) {
                buf.clear();
                int n = t.channel.read(buf, readPos);
                if (n <= 0) {
                    break;
                }
                byte[] a = buf.array();
                extendHead(t, readPos, a, n);
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (a[i] == '\n') {
                        String line = line(t, a, start, i);
                        lines.add(line);
                        batchBytes += line.length();
                        lineEnd = readPos + i + 1;
                        start = i + 1;
                        if (lines.size() >= MAX_LINES_PER_BATCH || batchBytes >= MAX_BATCH_BYTES) {
                            if (!commit(t, lines, lineEnd)) {
                                return;
                            }
                            lines = new ArrayList<>();
                            batchBytes = 0;
                        }
                    }
                }
                t.pending.write(a, start, n - start);
                readPos += n;
                if (t.pending.size() >= MAX_LINE_BYTES) {
                    lines.add(line(t, new byte[0], 0, 0));
                    lineEnd = readPos;
                    if (!commit(t, lines, lineEnd)) {
                        return;
                    }
                    lines = new ArrayList<>();
                    batchBytes = 0;
                }
            }
            if (!lines.isEmpty() && !commit(t, lines, lineEnd)) {
                return;
            }
            if (t.pending.size() == 0) {
                t.pendingSinceNanos = 0;
            } else if (t.pendingSinceNanos == 0) {
                t.pendingSinceNanos = now;
            } else if (!t.rotated && now - t.pendingSinceNanos >= partialFlush.toNanos()) {
                // a writer that never ends its last line: hand it over rather than hold it forever
                int held = t.pending.size();
                commit(t, List.of(line(t, new byte[0], 0, 0)), t.offset + held);
            }
        } catch (IOException e) {
            LOG.warn("Cannot read {}: {}", t.path, e.getMessage());
        }
    }

    /**
     * Keeps the first bytes read from the file, {@code a[0, n)} read at {@code pos}, as its
     * fingerprint: from the bytes actually read, so a rewrite between the read and the fingerprint
     * cannot slip in unnoticed.
     */
    private static void extendHead(Tracked t, long pos, byte[] a, int n) {
        if (t.headLength >= HEAD_BYTES || pos > t.headLength || pos + n <= t.headLength) {
            return;
        }
        int from = (int) (t.headLength - pos);
        int take = Math.min(n - from, HEAD_BYTES - t.headLength);
        System.arraycopy(a, from, t.head, t.headLength, take);
        t.headLength += take;
        CRC32C crc = new CRC32C();
        crc.update(t.head, 0, t.headLength);
        t.headHash = crc.getValue();
    }

    /** The held bytes plus a[start, end) as one line, without its CR; clears the held bytes. */
    private static String line(Tracked t, byte[] a, int start, int end) {
        byte[] bytes;
        if (t.pending.size() == 0) {
            bytes = java.util.Arrays.copyOfRange(a, start, end);
        } else {
            t.pending.write(a, start, end - start);
            bytes = t.pending.toByteArray();
            t.pending.reset();
        }
        t.pendingSinceNanos = 0;
        return decode(bytes, bytes.length);
    }

    private static String decode(byte[] bytes, int length) {
        int len = length;
        if (len > 0 && bytes[len - 1] == '\r') {
            len--;
        }
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }

    /** Hands lines ending at {@code lineEnd} to the sink; on success the checkpoint moves there. */
    private boolean commit(Tracked t, List<String> lines, long lineEnd) throws IOException {
        long before = t.offset;
        t.offset = lineEnd;
        if (sink.accept(t.path, lines, List.of(new Checkpoint(checkpointKey(t.identity), position(t))))) {
            return true;
        }
        // not durable: read the same lines again next time (the fingerprint stays: it is the file's)
        t.offset = before;
        t.pending.reset();
        t.pendingSinceNanos = 0;
        return false;
    }

    private ObjectNode position(Tracked t) {
        ObjectNode p = Json.NODES.objectNode();
        p.put("path", t.path.toString());
        p.put("dev", t.dev);
        p.put("ino", t.ino);
        p.put("offset", t.offset);
        p.put("head_len", t.headLength);
        p.put("head_hash", t.headHash);
        return p;
    }

    /**
     * A file cut and written again between two polls may be as long as before, or longer: only its
     * first bytes tell. Checked on every poll (one read of at most {@value #HEAD_BYTES} bytes).
     */
    private static boolean headChanged(Tracked t, long size) throws IOException {
        return t.headLength > 0 && (size < t.headLength || hash(t.channel, t.headLength) != t.headHash);
    }

    static long hash(FileChannel ch, int length) throws IOException {
        byte[] b = new byte[length];
        int n = readHead(ch, b, length);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, n);
        return crc.getValue();
    }

    /** Reads the file's first {@code length} bytes into {@code into}; returns how many there were. */
    private static int readHead(FileChannel ch, byte[] into, int length) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(into, 0, length);
        while (b.hasRemaining()) {
            if (ch.read(b, b.position()) < 0) {
                break;
            }
        }
        return b.position();
    }

    private Tracked open(Path p, long dev, long ino) {
        try {
            FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
            Tracked t = new Tracked(new FileId(dev, ino).key(), dev, ino, p);
            t.channel = ch;
            tracked.put(t.identity, t);
            return t;
        } catch (IOException e) {
            LOG.warn("Cannot open {}: {}", p, e.getMessage());
            return null;
        }
    }

    private static FileId identity(Path p) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino");
            return new FileId(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue());
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** A file renamed while we were down: same identity, somewhere in its old folder. */
    private static Path findByIdentity(Path oldPath, long dev, long ino) {
        Path dir = oldPath.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> {
                FileId id = identity(p);
                return id != null && id.dev() == dev && id.ino() == ino;
            }).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Identity → path of every regular file the patterns match now. */
    Map<String, Path> scan() {
        Map<String, Path> found = new LinkedHashMap<>();
        for (String pattern : patterns) {
            for (Path p : expand(pattern)) {
                FileId id = identity(p);
                if (id != null) {
                    found.putIfAbsent(id.key(), p);
                }
            }
        }
        return found;
    }

    static List<Path> expand(String pattern) {
        int firstGlob = indexOfGlob(pattern);
        if (firstGlob < 0) {
            Path p = Path.of(pattern);
            return Files.isRegularFile(p) ? List.of(p) : List.of();
        }
        int slash = pattern.lastIndexOf('/', firstGlob);
        Path base = slash <= 0 ? Path.of(slash == 0 ? "/" : ".") : Path.of(pattern.substring(0, slash));
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        String rest = pattern.substring(slash + 1);
        int depth = rest.contains("**") ? MAX_GLOB_DEPTH : rest.split("/").length;
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        List<Path> out = new ArrayList<>();
        try {
            Files.walkFileTree(base, EnumSet.noneOf(java.nio.file.FileVisitOption.class), depth, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (matcher.matches(file) && Files.isRegularFile(file)) {
                        out.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE; // unreadable corners of /var/log are skipped, not fatal
                }
            });
        } catch (IOException e) {
            LOG.debug("Cannot list {}: {}", base, e.getMessage());
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static int indexOfGlob(String s) {
        int min = -1;
        for (char c : GLOB_CHARS.toCharArray()) {
            int i = s.indexOf(c);
            if (i >= 0 && (min < 0 || i < min)) {
                min = i;
            }
        }
        return min;
    }

    /** Files followed now (for tests and the status page). */
    public int fileCount() {
        return tracked.size();
    }

    private static void closeQuietly(Tracked t) {
        try {
            t.channel.close();
        } catch (IOException ignored) {
            // closing a read-only handle loses nothing
        }
    }

    @Override
    public void close() {
        tracked.values().forEach(LogFileTailer::closeQuietly);
        tracked.clear();
    }
}
