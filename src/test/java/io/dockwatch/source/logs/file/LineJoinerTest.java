package io.dockwatch.source.logs.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineJoinerTest {
    private static final int CAP = 4 * LineJoiner.PARTIAL_CHUNK_BYTES;

    private final List<Integer> lengths = new ArrayList<>();
    private final LineJoiner joiner = new LineJoiner(false, CAP, (stream, ts, message, safeTs, safeCount) -> lengths.add(message.length));

    private void pieces(int n) {
        byte[] piece = new byte[LineJoiner.PARTIAL_CHUNK_BYTES];
        Arrays.fill(piece, (byte) 'a');
        for (int i = 0; i < n; i++) {
            joiner.entry(LineJoiner.STDOUT, "2026-12-02T10:00:00.000000001Z", piece, 0, piece.length, false,
                    "2026-12-02T10:00:00.000000001Z", i + 1);
        }
    }

    private void end(String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        joiner.entry(LineJoiner.STDOUT, "2026-12-02T10:00:00.000000001Z", b, 0, b.length, true, "2026-12-02T10:00:00.000000001Z", 99);
    }

    @Test
    void aLineOfExactlyTheCapIsOneRecordNotAnExtraEmptyOne() {
        pieces(4);
        end("");
        end("next");
        assertThat(lengths).containsExactly(CAP, 4);
    }

    @Test
    void aLineLongerThanTheCapComesOutInPiecesAndItsRest() {
        pieces(4);
        end("abcde");
        assertThat(lengths).containsExactly(CAP, 5);
    }

    @Test
    void anEmptyLineOfItsOwnIsStillARecord() {
        end("");
        assertThat(lengths).containsExactly(0);
    }
}
