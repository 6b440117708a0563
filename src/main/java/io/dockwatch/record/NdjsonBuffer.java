package io.dockwatch.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that records are written into as NDJSON. Log records write their parts
 * here directly (pre-encoded container fields, the message's own UTF-8 bytes, escaped only where
 * JSON requires it), which is why a busy collector spends little per line.
 */
public final class NdjsonBuffer {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** For each byte below 0x80: 0 = as is, else the letter after the backslash ('u' = \\u00XX). */
    private static final byte[] ESCAPE = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPE[c] = 'u';
        }
        ESCAPE['\n'] = 'n';
        ESCAPE['\r'] = 'r';
        ESCAPE['\t'] = 't';
        ESCAPE['\b'] = 'b';
        ESCAPE['\f'] = 'f';
        ESCAPE['"'] = '"';
        ESCAPE['\\'] = '\\';
    }

    private byte[] buf;
    private int len;

    public NdjsonBuffer(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    public int length() {
        return len;
    }

    /** The buffer itself: its first {@link #length()} bytes are what was written. */
    public byte[] array() {
        return buf;
    }

    public int capacity() {
        return buf.length;
    }

    /** Empties it for reuse, keeping its capacity. */
    public NdjsonBuffer reset() {
        len = 0;
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    public NdjsonBuffer raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    public NdjsonBuffer raw(char ascii) {
        ensure(1);
        buf[len++] = (byte) ascii;
        return this;
    }

    /** A JSON string (quotes included) of text that is valid UTF-8. */
    public NdjsonBuffer string(byte[] utf8) {
        int n = utf8.length;
        ensure(1);
        buf[len++] = '"';
        int from = 0;
        int i = 0;
        while (i < n) {
            // eight bytes at a time while none needs escaping: nearly every byte of a log line
            while (i + 8 <= n && !needsEscape((long) LONGS.get(utf8, i))) {
                i += 8;
            }
            for (int stop = Math.min(n, i + 8); i < stop; i++) {
                byte c = utf8[i];
                if (c >= 0 && ESCAPE[c] != 0) {
                    // copy the run before it in one go, then the escape (at most six bytes)
                    ensure(i - from + 6);
                    System.arraycopy(utf8, from, buf, len, i - from);
                    len += i - from;
                    escape(c);
                    from = i + 1;
                }
            }
        }
        ensure(n - from + 1);
        System.arraycopy(utf8, from, buf, len, n - from);
        len += n - from;
        buf[len++] = '"';
        return this;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    /**
     * Whether any of the eight bytes is a control character, {@code "} or {@code \} (the classic
     * has-less-than and has-zero-byte tricks). It never misses one; a false alarm only costs the
     * byte-by-byte look that follows.
     */
    private static boolean needsEscape(long x) {
        long control = (x - 0x20 * ONES) & ~x & HIGHS;
        long quote = ((x ^ QUOTES) - ONES) & ~(x ^ QUOTES) & HIGHS;
        long backslash = ((x ^ BACKSLASHES) - ONES) & ~(x ^ BACKSLASHES) & HIGHS;
        return (control | quote | backslash) != 0;
    }

    /** A JSON string of a Java string; plain ASCII (timestamps, IDs) is written without encoding. */
    public NdjsonBuffer string(String s) {
        int n = s.length();
        ensure(n + 2);
        int mark = len;
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || ESCAPE[c] != 0) {
                len = mark;
                return string(s.getBytes(StandardCharsets.UTF_8));
            }
            buf[len++] = (byte) c;
        }
        buf[len++] = '"';
        return this;
    }

    private void escape(byte c) {
        byte e = ESCAPE[c];
        buf[len++] = '\\';
        if (e == 'u') {
            buf[len++] = 'u';
            buf[len++] = '0';
            buf[len++] = '0';
            buf[len++] = HEX[c >> 4];
            buf[len++] = HEX[c & 0xF];
        } else {
            buf[len++] = e;
        }
    }
}
