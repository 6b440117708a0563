package io.dockwatch.source.containerfiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The entries of a tar stream as Docker's archive API sends it (Go's archive/tar: ustar, with PAX
 * or GNU long-name headers for long paths), read one at a time: an entry's data is streamed by
 * {@link #read}, and whatever of it is not read is skipped by {@link #next}. Nothing is held but
 * one 512-byte block.
 */
final class TarEntries {
    private static final int BLOCK = 512;
    /** A long name (PAX or GNU) longer than this is no path of ours. */
    private static final int MAX_NAME_BYTES = 64 * 1024;

    /** {@code type} is tar's type flag: {@code '0'} (or NUL) for a regular file, {@code '5'} a folder... */
    record Entry(String name, long size, char type) {
        boolean isFile() {
            return type == '0' || type == '\0';
        }
    }

    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    /** Data bytes of the current entry not read yet, and its padding to the next block. */
    private long remaining;
    private long padding;

    TarEntries(InputStream in) {
        this.in = in;
    }

    /** The next entry, or null at the end of the archive. */
    Entry next() throws IOException {
        String longName = null;
        while (true) {
            skipFully(remaining + padding);
            remaining = 0;
            padding = 0;
            if (in.readNBytes(header, 0, BLOCK) < BLOCK || isZero(header)) {
                return null;
            }
            long size = size(header);
            char type = (char) header[156];
            remaining = size;
            padding = (BLOCK - size % BLOCK) % BLOCK;
            if (type == 'x' || type == 'L') {
                byte[] data = readMeta(size);
                String name = type == 'L' ? cString(data, 0, data.length) : paxPath(data);
                if (name != null) {
                    longName = name;
                }
                continue;
            }
            if (type == 'g' || type == 'K') {
                continue; // global PAX header, GNU long link name: nothing we need
            }
            String name = longName != null ? longName : ustarName(header);
            return new Entry(name, size, type);
        }
    }

    /** Up to {@code len} bytes of the current entry's data; -1 at its end. */
    int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new IOException("tar stream ended inside an entry");
        }
        remaining -= n;
        return n;
    }

    /** Skips {@code n} bytes of the current entry's data. */
    void skip(long n) throws IOException {
        long s = Math.min(n, remaining);
        skipFully(s);
        remaining -= s;
    }

    private byte[] readMeta(long size) throws IOException {
        if (size > MAX_NAME_BYTES) {
            return new byte[0]; // left to next() to skip
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new IOException("tar stream ended inside a header");
        }
        remaining = 0;
        return data;
    }

    private void skipFully(long n) throws IOException {
        if (n > 0) {
            in.skipNBytes(n);
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** Octal, or base-256 (high bit of the first byte set) for sizes of 8 GiB and more. */
    static long size(byte[] h) {
        if ((h[124] & 0x80) != 0) {
            long v = h[124] & 0x7f;
            for (int i = 125; i < 136; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        String s = cString(h, 124, 12).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    private static String ustarName(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = "ustar".equals(cString(h, 257, 6).trim());
        String prefix = ustar ? cString(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The {@code path} record of a PAX header: lines of "LEN key=value\n". */
    private static String paxPath(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        int i = 0;
        while (i < s.length()) {
            int space = s.indexOf(' ', i);
            int nl = s.indexOf('\n', i);
            if (space < 0 || nl < 0 || space > nl) {
                return null;
            }
            String record = s.substring(space + 1, nl);
            if (record.startsWith("path=")) {
                return record.substring(5);
            }
            i = nl + 1;
        }
        return null;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }
}
