package io.dockwatch.source.logs.file;

/** Decodes the text of a JSON string (the bytes between its quotes) to UTF-8. */
final class JsonText {
    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    private JsonText() {
    }

    /** Decodes {@code b[from, to)} into {@code out} (at least {@code to - from} long); returns the length. */
    static int unescape(byte[] b, int from, int to, byte[] out) {
        int o = 0;
        int i = from;
        while (i < to) {
            byte c = b[i];
            if (c != '\\' || i + 1 >= to) {
                out[o++] = c;
                i++;
                continue;
            }
            byte e = b[i + 1];
            i += 2;
            switch (e) {
                case 'n' -> out[o++] = '\n';
                case 'r' -> out[o++] = '\r';
                case 't' -> out[o++] = '\t';
                case 'b' -> out[o++] = '\b';
                case 'f' -> out[o++] = '\f';
                case 'u' -> {
                    int cp = hex4(b, i, to);
                    if (cp < 0) {
                        o = put(out, o, REPLACEMENT);
                        break;
                    }
                    i += 4;
                    if (Character.isHighSurrogate((char) cp) && i + 6 <= to && b[i] == '\\' && b[i + 1] == 'u') {
                        int low = hex4(b, i + 2, to);
                        if (low >= 0 && Character.isLowSurrogate((char) low)) {
                            cp = Character.toCodePoint((char) cp, (char) low);
                            i += 6;
                        }
                    }
                    o = putCodePoint(out, o, cp);
                }
                default -> out[o++] = e; // \" \\ \/
            }
        }
        return o;
    }

    private static int hex4(byte[] b, int i, int to) {
        if (i + 4 > to) {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(b[i + k], 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    private static int put(byte[] out, int o, byte[] bytes) {
        System.arraycopy(bytes, 0, out, o, bytes.length);
        return o + bytes.length;
    }

    /** At most as many bytes as the escape it came from (\\uXXXX: 6, a pair: 12). */
    private static int putCodePoint(byte[] out, int o, int cp) {
        if (cp < 0x80) {
            out[o++] = (byte) cp;
        } else if (cp < 0x800) {
            out[o++] = (byte) (0xC0 | cp >> 6);
            out[o++] = (byte) (0x80 | cp & 0x3F);
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            o = put(out, o, REPLACEMENT); // a lone surrogate
        } else if (cp < 0x10000) {
            out[o++] = (byte) (0xE0 | cp >> 12);
            out[o++] = (byte) (0x80 | cp >> 6 & 0x3F);
            out[o++] = (byte) (0x80 | cp & 0x3F);
        } else {
            out[o++] = (byte) (0xF0 | cp >> 18);
            out[o++] = (byte) (0x80 | cp >> 12 & 0x3F);
            out[o++] = (byte) (0x80 | cp >> 6 & 0x3F);
            out[o++] = (byte) (0x80 | cp & 0x3F);
        }
        return o;
    }
}
