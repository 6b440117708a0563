package io.dockwatch.source.logs.file;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Docker's log timestamps as the API writes them with {@code timestamps=1}: RFC 3339 UTC with
 * exactly nine fraction digits (jsonmessage.RFC3339NanoFixed), so that text order is time order
 * and a checkpoint from either path compares with the other's. json-file's {@code time} is Go's
 * RFC3339Nano, which trims trailing zeros ({@code .7522174Z}, or no fraction at all).
 */
final class Timestamps {
    private static final DateTimeFormatter FIXED = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int SECONDS_END = 19; // 2006-01-02T15:04:05

    private Timestamps() {
    }

    static String fixed(Instant t) {
        return FIXED.format(t);
    }

    /** The fixed form of the timestamp text {@code b[start, end)}, or null if it is not one. */
    static String fixed(byte[] b, int start, int end) {
        int n = end - start;
        if (n > SECONDS_END && b[end - 1] == 'Z' && b[start + 10] == 'T') {
            byte after = b[start + SECONDS_END];
            if (after == '.' && n == SECONDS_END + 11) {
                return new String(b, start, n, StandardCharsets.US_ASCII); // already nine digits
            }
            if (after == 'Z' || after == '.' && n < SECONDS_END + 11) {
                char[] c = new char[SECONDS_END + 11];
                int digits = after == 'Z' ? 0 : n - SECONDS_END - 2;
                for (int i = 0; i < SECONDS_END + 1 + digits; i++) {
                    c[i] = (char) b[start + i];
                }
                c[SECONDS_END] = '.';
                for (int i = SECONDS_END + 1 + digits; i < SECONDS_END + 10; i++) {
                    c[i] = '0';
                }
                c[SECONDS_END + 10] = 'Z';
                return new String(c);
            }
        }
        try {
            return fixed(OffsetDateTime.parse(new String(b, start, n, StandardCharsets.US_ASCII)).toInstant());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
