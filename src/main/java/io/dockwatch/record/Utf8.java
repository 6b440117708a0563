package io.dockwatch.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Log messages stay the UTF-8 bytes Docker sent, from the socket to the spool: decoding each line
 * into a String and encoding it again for JSON cost more than everything else a line goes through.
 */
public final class Utf8 {
    private Utf8() {
    }

    /**
     * A copy of {@code b[off, off+len)} that is valid UTF-8: bytes that are not (binary output,
     * Latin-1 text, a sequence cut short) become U+FFFD exactly as Java's decoder replaces them,
     * so every record is valid JSON. Plain ASCII, nearly every line, is a scan and a copy.
     */
    public static byte[] validCopy(byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (b[i] < 0) {
                return validCopySlow(b, off, len);
            }
        }
        return Arrays.copyOfRange(b, off, end);
    }

    private static byte[] validCopySlow(byte[] b, int off, int len) {
        // rare enough (non-ASCII text, garbage) to let the JDK decide what is valid
        return new String(b, off, len, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    }

    /** The longest prefix of valid UTF-8 {@code b} of at most {@code max} bytes that ends on a character boundary. */
    public static byte[] prefix(byte[] b, int max) {
        if (b.length <= max) {
            return b;
        }
        int cut = max;
        while (cut > 0 && (b[cut] & 0xC0) == 0x80) {
            cut--; // b[cut] continues a character: cut before that character starts
        }
        return Arrays.copyOf(b, cut);
    }

    public static String text(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
