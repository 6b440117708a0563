package io.dockwatch.source.containerfiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The files one container asked to have tailed, followed by identity (inode) and offset:
 * <ul>
 *   <li>grown: read from the offset;</li>
 *   <li>shrunk under the same inode (copytruncate): read from 0;</li>
 *   <li>the path now has another inode (rotation by rename): finish the old inode under whatever
 *   name it has now, then read the new file from 0.</li>
 * </ul>
 * Only whole lines advance an offset, so a line being written is read once it is complete.
 */
final class FileTail {
    /** One regular file as {@code stat} listed it. */
    record Listed(long inode, long size, String path) {
    }

    /** A chunk to read: {@code path} (as listed now) from {@code offset}, at most {@code length} bytes. */
    record Read(String recordPath, String currentPath, long inode, long offset, long length) {
    }

    /** Where each followed file is: its inode and the offset after its last delivered line. */
    record Position(long inode, long offset) {
    }

    private final List<Pattern> patterns;
    /** key: the path the lines are recorded under (the pattern-matching name). */
    private final Map<String, Position> positions = new HashMap<>();

    FileTail(List<String> globs, JsonNode checkpoint) {
        this.patterns = globs.stream().map(g -> io.dockwatch.source.Globs.compile(g, true)).toList();
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

    static List<Listed> parseListing(byte[] out) {
        List<Listed> files = new ArrayList<>();
        for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
            String[] parts = line.split(" ", 3);
            if (parts.length == 3) {
                try {
                    files.add(new Listed(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]));
                } catch (NumberFormatException ignored) {
                    // a name stat could not describe: skip it
                }
            }
        }
        return files;
    }

    /** What to read now, given the folder listing. */
    List<Read> plan(List<Listed> listing, long maxBytes) {
        Map<Long, Listed> byInode = new HashMap<>();
        Map<String, Listed> byPath = new HashMap<>();
        for (Listed l : listing) {
            byInode.put(l.inode(), l);
            byPath.put(l.path(), l);
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

    private boolean matches(String path) {
        for (Pattern p : patterns) {
            if (p.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Whole lines of {@code data}; the position moves past them only. */
    List<String> consume(Read read, byte[] data) {
        int end = data.length - 1;
        while (end >= 0 && data[end] != '\n') {
            end--;
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= end; i++) {
            if (data[i] == '\n') {
                lines.add(new String(data, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        positions.put(read.recordPath(), new Position(read.inode(), read.offset() + end + 1));
        return lines;
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
