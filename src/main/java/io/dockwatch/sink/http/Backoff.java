package io.dockwatch.sink.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th wait is between half and all of
 * {@code min(initial * 2^n, max)}, so many collectors that lost one receiver do not all come back
 * at the same instant, yet no wait is much shorter than planned.
 */
final class Backoff {
    /** A receiver asking for more than this is waited for this long, then asked again. */
    static final Duration RETRY_AFTER_CAP = Duration.ofMinutes(10);

    private final long initialMs;
    private final long maxMs;
    private int attempt;

    Backoff(Duration initial, Duration max) {
        this.initialMs = initial.toMillis();
        this.maxMs = Math.max(max.toMillis(), initialMs);
    }

    /** The next wait; grows with each call until {@link #reset()}. */
    long nextMs() {
        long ceiling = initialMs << Math.min(attempt, 30);
        if (ceiling <= 0 || ceiling > maxMs) {
            ceiling = maxMs;
        }
        attempt++;
        long half = ceiling / 2;
        return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
    }

    void reset() {
        attempt = 0;
    }

    /**
     * A {@code Retry-After} value in milliseconds from now: delay-seconds or an HTTP-date
     * (RFC 9110, 10.2.3); -1 when absent or unreadable, so the caller falls back to its backoff.
     */
    static long retryAfterMs(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return Math.min(Math.max(seconds, 0) * 1000, RETRY_AFTER_CAP.toMillis());
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Math.min(Math.max(Duration.between(now, at).toMillis(), 0), RETRY_AFTER_CAP.toMillis());
            } catch (DateTimeParseException notDate) {
                return -1;
            }
        }
    }
}
