package io.dockwatch.source.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

/** Start patterns from labels are untrusted: linear-time matching, and a time bound on top. */
class MultilineMergerTest {
    private static MultilineMerger merger(String pattern) {
        return new MultilineMerger(Pattern.compile(pattern), LogFollower.MAX_LINE_BYTES);
    }

    @Test
    void continuationLinesJoinTheRecordTheirStartLineBegan() {
        MultilineMerger m = merger("^\\S");
        assertThat(m.add("stdout", "t1", "Exception: boom")).isNull();
        assertThat(m.add("stdout", "t2", "\tat a.B.c(B.java:1)")).isNull();
        MultilineMerger.Merged done = m.add("stdout", "t3", "next");
        assertThat(done.message()).isEqualTo("Exception: boom\n\tat a.B.c(B.java:1)");
        assertThat(done.timestamp()).isEqualTo("t1");
        assertThat(m.flush().message()).isEqualTo("next");
    }

    @Test
    void aPatternThatBacktracksExponentiallyIsLinearHere() {
        // (a|a)*b, the classic, no longer explodes in Java 9 and later; a counted repetition still does
        // java.util.regex takes about 7 s on 24 a's and doubles with each further one
        MultilineMerger m = merger("(a|a){1,100}b");
        m.add("stdout", "t0", "first");
        for (int i = 0; i < 100; i++) { // within the merger's time budget, or it would throw
            assertThat(m.add("stdout", "t" + i, "a".repeat(40) + "c")).isNull();
        }
        assertThat(m.flush().message().split("\n")).hasSize(101);
    }

    @Test
    void aPatternTooLargeForRe2jsRecursionIsTooSlowNotAnErrorThatEndsTheReadLoop() throws Exception {
        // labels are refused past LogsConsumer.MAX_LABEL_PATTERN_SIZE; this guards what gets through anyway
        MultilineMerger m = merger("(.*){1,1000}(.*){1,1000}(.*){1,1000}(.*){1,1000}b");
        m.add("stdout", "t0", "first");
        Throwable[] thrown = new Throwable[1];
        Thread small = new Thread(null, () -> {
            try {
                m.add("stdout", "t1", "a".repeat(2000));
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, "small-stack", 512 * 1024); // the read loops' -Xss512k
        small.start();
        small.join();
        assertThat(thrown[0]).isInstanceOf(MultilineMerger.TooSlow.class);
        assertThat(m.flush().message()).isEqualTo("first");
    }

    @Test
    void aPatternSeesTheStartOfALineSoAMegabytePieceCostsWhatAShortLineDoes() {
        MultilineMerger m = new MultilineMerger(Pattern.compile("(a|a)*b"), Integer.MAX_VALUE);
        m.add("stdout", "t0", "first");
        String piece = "a".repeat(1024 * 1024) + "b"; // the b is beyond what the pattern sees
        for (int i = 0; i < 5; i++) {
            assertThat(m.add("stdout", "t", piece)).isNull(); // 2.5 us a character on the whole piece: 2.6 s each
        }
    }
}
