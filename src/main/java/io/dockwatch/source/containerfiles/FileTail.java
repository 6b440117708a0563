package io.dockwatch.source.containerfiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import io.dockwatch.source.Globs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The files one container asked to have tailed, followed by identity (inode) and offset:
 * <ul>
 *   <li>grown: read from the offset;</li>
 *   <li>shrunk under the same inode (copytruncate): read from 0;</li>
 *   <li>the path now has another inode (rotation by rename): finish the old inode under whatever
 *   name it has now, then read the new file from 0.</li>
 * </ul>
 * Bytes are streamed through {@link Lines}: whole lines advance an offset, in batches of at most
 * {@value #MAX_BATCH_LINES} lines or {@value #MAX_BATCH_BYTES} bytes, each handed over with its
 * checkpoint before the next is cut; a line longer than {@value #MAX_LINE_BYTES} bytes is handed
 * over in pieces of that size. So neither a huge file nor a line without end is ever held whole.
 */
final class FileTail {
    static final int MAX_LINE_BYTES = 1024 * 1024;
    static final int MAX_BATCH_LINES = 1000;
    static final int MAX_BATCH_BYTES = 1024 * 1024;
    /** Files of one container kept from a listing; a folder with more is read only partly (logged). */
    static final int MAX_LISTED_FILES = 1000;
    /** A listing line is "inode size path": a path longer than PATH_MAX is no file of ours. */
    private static final int MAX_LISTING_LINE = 8192;

    /** One regular file as {@code stat} listed it. */
    record Listed(long inode, long size, String path) {
    }

    /** A chunk to read: {@code path} (as listed now) from {@code offset}, at most {@code length} bytes. */
    record Read(String recordPath, String currentPath, long inode, long offset, long length) {
    }

    /** Where each followed file is: its inode and the offset after its last delivered line. */
    record Position(long inode, long offset) {
    }

    /** Takes one batch of lines; the tail's {@link #checkpoint()} already includes them. */
    interface LineSink {
        /** True once the lines and the checkpoint are durable; false stops the read (read again next time). */
        boolean accept(Read read, List<String> lines);
    }

    /** The sink did not take a batch: the read stops, the position stays before it. */
    static final class NotDelivered extends IOException {
        NotDelivered() {
            super("records not delivered");
        }
    }

    private final List<Pattern> patterns;
    /** key: the path the lines are recorded under (the pattern-matching name). */
    private final Map<String, Position> positions = new HashMap<>();

    FileTail(List<String> globs, JsonNode checkpoint) {
        this.patterns = globs.stream().map(g -> Globs.compile(g, true)).toList();
        if (checkpoint != null) {
            checkpoint.path("files").fields().forEachRemaining(e -> positions.put(e.getKey(),
                    new Position(e.getValue().path("inode").asLong(), e.getValue().path("offset").asLong())));
        }
    }

    /** Folders whose files must be listed: those of the globs (rotated files keep their folder). */
    static List<String> folders(List<String> globs) {
        List<String> dirs = new ArrayList<>();
        for (String g : globs) {
            int slash = g.lastIndexOf('/');
            String dir = slash <= 0 ? "/" : g.substring(0, slash);
            if (!dirs.contains(dir)) {
                dirs.add(dir);
            }
        }
        return dirs;
    }

    /** Reads a {@code stat -c '%i %s %n'} listing as it streams in, keeping only the files that matter here. */
    Listing listing() {
        return new Listing();
    }

    final class Listing implements Exec.Output {
        final List<Listed> files = new ArrayList<>();
        /** Files that would have mattered beyond {@link #MAX_LISTED_FILES}. */
        int dropped;
        private final Set<Long> knownInodes = new HashSet<>();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private boolean overlong;

        private Listing() {
            positions.values().forEach(p -> knownInodes.add(p.inode()));
        }

        @Override
        public void write(byte[] b, int off, int len) {
            int start = off;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    take(b, start, i - start);
                    if (!overlong) {
                        parse(line.toString(StandardCharsets.UTF_8));
                    }
                    line.reset();
                    overlong = false;
                    start = i + 1;
                }
            }
            take(b, start, off + len - start);
        }

        private void take(byte[] b, int from, int n) {
            if (overlong || line.size() + n > MAX_LISTING_LINE) {
                overlong = true;
                line.reset();
            } else {
                line.write(b, from, n);
            }
        }

        private void parse(String l) {
            String[] parts = l.split(" ", 3);
            if (parts.length != 3) {
                return;
            }
            Listed f;
            try {
                f = new Listed(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]);
            } catch (NumberFormatException e) {
                return; // a name stat could not describe: skip it
            }
            // other files of the folder matter only as where a followed file was rotated to
            if (matches(f.path()) || knownInodes.contains(f.inode())) {
                if (files.size() < MAX_LISTED_FILES) {
                    files.add(f);
                } else {
                    dropped++;
                }
            }
        }
    }

    /** What to read now, given the folder listing; each read at most {@code maxBytes}. */
    List<Read> plan(List<Listed> listing, long maxBytes) {
        Map<Long, Listed> byInode = new HashMap<>();
        for (Listed l : listing) {
            byInode.put(l.inode(), l);
        }
        List<Read> reads = new ArrayList<>();
        for (Listed l : listing) {
            if (!matches(l.path())) {
                continue;
            }
            Position p = positions.get(l.path());
            if (p != null && p.inode() != l.inode()) {
                // rotated by rename: the rest of the old file first, wherever it went
                Listed old = byInode.get(p.inode());
                if (old != null && old.size() > p.offset()) {
                    reads.add(new Read(l.path(), old.path(), p.inode(), p.offset(), Math.min(maxBytes, old.size() - p.offset())));
                    continue; // the new file comes once the old one is finished
                }
                positions.put(l.path(), new Position(l.inode(), 0));
                p = positions.get(l.path());
            }
            long offset = p == null ? 0 : p.offset();
            if (l.size() < offset) {
                offset = 0; // copytruncate: the same file, cut to zero and written again
                positions.put(l.path(), new Position(l.inode(), 0));
            }
            if (l.size() > offset) {
                reads.add(new Read(l.path(), l.path(), l.inode(), offset, Math.min(maxBytes, l.size() - offset)));
            } else if (p == null) {
                positions.put(l.path(), new Position(l.inode(), 0));
            }
        }
        return reads;
    }

    boolean matches(String path) {
        for (Pattern p : patterns) {
            if (p.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Cuts the bytes of {@code read} into lines as they stream in, handing batches to {@code sink}. */
    Lines lines(Read read, LineSink sink) {
        return new Lines(read, sink);
    }

    final class Lines implements Exec.Output {
        private final Read read;
        private final LineSink sink;
        /** File offset of the next byte to come. */
        private long pos;
        /** File offset after the last line cut so far. */
        private long lineEnd;
        private ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private List<String> batch = new ArrayList<>();
        private long batchBytes;

        private Lines(Read read, LineSink sink) {
            this.read = read;
            this.sink = sink;
            this.pos = read.offset();
            this.lineEnd = read.offset();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int start = off;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    cut(b, start, i);
                    lineEnd = pos + (i - off) + 1;
                    start = i + 1;
                    if (batch.size() >= MAX_BATCH_LINES || batchBytes >= MAX_BATCH_BYTES) {
                        deliver();
                    }
                }
            }
            partial.write(b, start, off + len - start);
            pos += len;
            if (partial.size() >= MAX_LINE_BYTES) {
                // no newline for this long: hand the piece over rather than hold it
                cut(b, 0, 0);
                lineEnd = pos;
                deliver();
            }
        }

        private void cut(byte[] b, int from, int to) {
            String line;
            if (partial.size() == 0) {
                line = new String(b, from, to - from, StandardCharsets.UTF_8);
            } else {
                partial.write(b, from, to - from);
                line = partial.toString(StandardCharsets.UTF_8);
                // a long line grew the buffer: give it back rather than keep it per file
                partial = line.length() > 64 * 1024 ? new ByteArrayOutputStream() : partial;
                partial.reset();
            }
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            batch.add(line);
            batchBytes += line.length();
        }

        /**
         * The end of the read: the whole lines go; a last line without newline waits for the next
         * read, unless {@code last} (a stopped container's file grows no more).
         */
        void finish(boolean last) throws IOException {
            if (last && partial.size() > 0) {
                cut(new byte[0], 0, 0);
                lineEnd = pos;
            }
            deliver();
        }

        private void deliver() throws IOException {
            if (batch.isEmpty()) {
                return;
            }
            Position before = positions.put(read.recordPath(), new Position(read.inode(), lineEnd));
            if (!sink.accept(read, batch)) {
                if (before == null) {
                    positions.remove(read.recordPath());
                } else {
                    positions.put(read.recordPath(), before);
                }
                throw new NotDelivered();
            }
            batch = new ArrayList<>();
            batchBytes = 0;
        }
    }

    /** Paths followed so far (their lines are recorded under these names). */
    List<String> knownPaths() {
        return new ArrayList<>(positions.keySet());
    }

    long inodeOf(String path) {
        Position p = positions.get(path);
        return p == null ? 0 : p.inode();
    }

    JsonNode checkpoint() {
        ObjectNode n = Json.NODES.objectNode();
        ObjectNode files = n.putObject("files");
        positions.forEach((path, p) -> files.putObject(path).put("inode", p.inode()).put("offset", p.offset()));
        return n;
    }
}
