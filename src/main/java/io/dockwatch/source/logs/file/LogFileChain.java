package io.dockwatch.source.logs.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The files of one container's json-file log as they are now, oldest first, the live one last:
 * {@code <id>-json.log.N[.gz] ... .1[.gz]}, {@code <id>-json.log}. While {@code .1} is being
 * compressed both {@code .1} and {@code .1.gz} exist; the plain one is the whole file then.
 */
final class LogFileChain {
    /** moby's rotateFileMetadata in the gzip header's extra field: {"lastTime":"..."}. */
    private static final Pattern LAST_TIME = Pattern.compile("\"lastTime\"\\s*:\\s*\"([^\"]+)\"");
    private static final int TAIL_PROBE_BYTES = 256 * 1024;

    private final List<Path> files;
    private final List<Boolean> gz;
    private final boolean liveExists;
    /** The entries' format; null for json-file's lines. */
    private EntryFormat format;

    private LogFileChain(List<Path> files, List<Boolean> gz, boolean liveExists) {
        this.files = files;
        this.gz = gz;
        this.liveExists = liveExists;
    }

    /** The chain of a log whose files hold entries of {@code format} (the same rotation as json-file's). */
    static LogFileChain list(Path live, EntryFormat format) throws IOException {
        LogFileChain chain = list(live);
        chain.format = format;
        return chain;
    }

    static LogFileChain list(Path live) throws IOException {
        String base = live.getFileName().toString();
        TreeMap<Integer, Path> byIndex = new TreeMap<>(java.util.Comparator.reverseOrder());
        TreeMap<Integer, Boolean> compressed = new TreeMap<>();
        Pattern sibling = Pattern.compile(Pattern.quote(base) + "\\.(\\d+)(\\.gz)?");
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(live.getParent(), base + ".*")) {
            for (Path p : dir) {
                Matcher m = sibling.matcher(p.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                int i = Integer.parseInt(m.group(1));
                boolean isGz = m.group(2) != null;
                if (!byIndex.containsKey(i) || !isGz) { // plain wins while its .gz is being written
                    byIndex.put(i, p);
                    compressed.put(i, isGz);
                }
            }
        } catch (NoSuchFileException e) {
            return new LogFileChain(List.of(), List.of(), false); // the container's folder is gone
        }
        List<Path> files = new ArrayList<>(byIndex.values());
        List<Boolean> gz = new ArrayList<>();
        byIndex.keySet().forEach(i -> gz.add(compressed.get(i)));
        // stat, not Files.exists: that asks access(2), which ignores capabilities for a non-root
        // user, so the image's collector with CAP_DAC_READ_SEARCH would see no file at all
        boolean liveExists = Files.isRegularFile(live);
        if (liveExists) {
            files.add(live);
            gz.add(false);
        }
        return new LogFileChain(files, gz, liveExists);
    }

    int size() {
        return files.size();
    }

    Path path(int i) {
        return files.get(i);
    }

    boolean compressed(int i) {
        return gz.get(i);
    }

    boolean isLive(int i) {
        return liveExists && i == files.size() - 1;
    }

    int indexOfKey(Object key) throws IOException {
        for (int i = 0; i < files.size(); i++) {
            if (!gz.get(i)) {
                try {
                    if (key.equals(JsonFileLog.fileKey(files.get(i)))) {
                        return i;
                    }
                } catch (NoSuchFileException e) {
                    // moved on meanwhile
                }
            }
        }
        return -1;
    }

    /** The compressed file that is the plain one just read: same last timestamp, same size. */
    int indexOfCompressed(String lastTs, long uncompressedBytes) throws IOException {
        for (int i = 0; i < files.size(); i++) {
            if (gz.get(i) && lastTs.equals(lastTimestamp(i)) && isize(files.get(i)) == (uncompressedBytes & 0xFFFFFFFFL)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The first file whose last entry is stamped {@code ts} or later: every file before it holds
     * only earlier entries. The live file when none does (or when there is none with entries).
     */
    int firstEndingAtOrAfter(String ts) throws IOException {
        for (int i = 0; i < files.size(); i++) {
            String last = lastTimestamp(i);
            if (last == null || last.compareTo(ts) >= 0) {
                return i;
            }
        }
        return Math.max(0, files.size() - 1);
    }

    /** Entries (lines) in file {@code i}. */
    long countEntries(int i) throws IOException {
        long n = 0;
        byte[] b = new byte[64 * 1024];
        try (InputStream in = open(i)) {
            if (format != null) {
                return format.countEntries(in);
            }
            int r;
            while ((r = in.read(b)) > 0) {
                for (int k = 0; k < r; k++) {
                    if (b[k] == '\n') {
                        n++;
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        return n;
    }

    private InputStream open(int i) throws IOException {
        InputStream raw = Files.newInputStream(files.get(i));
        return gz.get(i) ? new GZIPInputStream(raw, 64 * 1024) : raw;
    }

    /** The fixed-form timestamp of the file's last entry; null for an empty or vanished file. */
    String lastTimestamp(int i) throws IOException {
        try {
            if (gz.get(i)) {
                String fromHeader = gzipLastTime(files.get(i));
                if (fromHeader != null) {
                    return fromHeader;
                }
                try (InputStream in = open(i)) {
                    return lastTimeIn(in.readAllBytes(), format); // no header note: read it through (rare)
                }
            }
            try (RandomAccessFile f = new RandomAccessFile(files.get(i).toFile(), "r")) {
                long size = f.length();
                int n = (int) Math.min(size, TAIL_PROBE_BYTES);
                byte[] b = new byte[n];
                f.seek(size - n);
                f.readFully(b);
                return lastTimeIn(b, format);
            }
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return null;
        }
    }

    private static String lastTimeIn(byte[] b, EntryFormat format) {
        if (format != null) {
            return format.lastTime(b);
        }
        int end = b.length;
        while (end > 0) {
            int lineEnd = JsonFileLog.lastIndexOf(b, end, (byte) '\n');
            if (lineEnd < 0) {
                return null;
            }
            int lineStart = JsonFileLog.lastIndexOf(b, lineEnd, (byte) '\n') + 1;
            String ts = JsonFileLog.timeOf(b, lineStart, lineEnd);
            if (ts != null) {
                return ts;
            }
            end = lineEnd;
        }
        return null;
    }

    private static String gzipLastTime(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] h = in.readNBytes(12);
            if (h.length < 12 || (h[0] & 0xFF) != 0x1f || (h[1] & 0xFF) != 0x8b || (h[3] & 4) == 0) {
                return null;
            }
            int xlen = (h[10] & 0xFF) | (h[11] & 0xFF) << 8;
            byte[] extra = in.readNBytes(xlen);
            Matcher m = LAST_TIME.matcher(new String(extra, StandardCharsets.UTF_8));
            if (!m.find()) {
                return null;
            }
            byte[] t = m.group(1).getBytes(StandardCharsets.US_ASCII);
            return Timestamps.fixed(t, 0, t.length);
        }
    }

    /** The gzip trailer's size of the uncompressed data, modulo 2^32. */
    private static long isize(Path p) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            if (f.length() < 18) {
                return -1;
            }
            f.seek(f.length() - 4);
            byte[] b = new byte[4];
            f.readFully(b);
            return (b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (b[3] & 0xFFL) << 24;
        } catch (java.io.FileNotFoundException e) {
            return -1;
        }
    }
}
