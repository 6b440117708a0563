package io.dockwatch.sink.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HttpBackoffTest {
    @Test
    void waitsDoubleWithJitterUpToTheMaximumAndStartOverAfterReset() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        long[] ceilings = {100, 200, 400, 800, 1000, 1000};
        for (long ceiling : ceilings) {
            assertThat(b.nextMs()).isBetween(ceiling / 2, ceiling);
        }
        b.reset();
        assertThat(b.nextMs()).isBetween(50L, 100L);
    }

    @Test
    void jitterSpreadsTheWaits() {
        Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(1000));
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            seen.add(b.nextMs());
        }
        assertThat(seen.size()).isGreaterThan(5);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");
        assertThat(Backoff.retryAfterMs("3", now)).isEqualTo(3000);
        assertThat(Backoff.retryAfterMs("Fri, 27 Nov 2026 10:00:07 GMT", now)).isEqualTo(7000);
        assertThat(Backoff.retryAfterMs("Fri, 27 Nov 2026 09:00:00 GMT", now)).isZero();
        assertThat(Backoff.retryAfterMs("999999", now)).isEqualTo(Backoff.RETRY_AFTER_CAP.toMillis());
        assertThat(Backoff.retryAfterMs("soon", now)).isEqualTo(-1);
        assertThat(Backoff.retryAfterMs(null, now)).isEqualTo(-1);
    }

    @Test
    void statusesThatOnlyTimeOrTheOperatorFixAreRetriedTheRestAreNot() {
        for (int s : new int[] {408, 429, 500, 502, 503, 504, 401, 403, 404}) {
            assertThat(HttpSinkProducer.retryable(s)).as("%d", s).isTrue();
        }
        for (int s : new int[] {400, 405, 409, 413, 415, 422}) {
            assertThat(HttpSinkProducer.retryable(s)).as("%d", s).isFalse();
        }
    }
}
