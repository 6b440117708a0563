package io.dockwatch.source.logs.line;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineAssemblerTest {
    private static final int CHUNK = LineAssembler.DOCKER_CHUNK_BYTES;
    private static final int CAP = 4 * CHUNK;
    private static final String TS = "2026-12-02T10:00:00.000000001Z";

    private final LineAssembler lines = new LineAssembler(CAP);
    private final List<byte[]> out = new ArrayList<>();

    /** Feeds a line as Docker's copier writes it: entries of 16 KiB without a newline, the last with its newline. */
    private void printed(byte[] line) {
        int at = 0;
        while (line.length - at >= CHUNK) {
            lines.entry(TS, line, at, CHUNK, false, (ts, m) -> out.add(m));
            at += CHUNK;
        }
        lines.entry(TS, line, at, line.length - at, true, (ts, m) -> out.add(m));
    }

    private String joined() {
        StringBuilder sb = new StringBuilder();
        out.forEach(m -> sb.append(new String(m, StandardCharsets.UTF_8)));
        return sb.toString();
    }

    @Test
    void aLineOfExactlyTheCapIsOneLineNotAnExtraEmptyOne() {
        byte[] line = new byte[CAP];
        Arrays.fill(line, (byte) 'a');
        printed(line);
        printed("next".getBytes(StandardCharsets.UTF_8));
        assertThat(out).extracting(m -> m.length).containsExactly(CAP, 4);
    }

    @Test
    void theCutAtTheCapNeverSplitsACharacter() {
        // a three-byte character across Docker's 16 KiB cut that falls on the cap
        String text = "a".repeat(CAP - 2) + "€" + "tail";
        printed(text.getBytes(StandardCharsets.UTF_8));
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).hasSize(CAP - 2);
        assertThat(new String(out.get(1), StandardCharsets.UTF_8)).isEqualTo("€tail");
        assertThat(joined()).isEqualTo(text).doesNotContain("\uFFFD");
    }

    @Test
    void fourByteCharactersAtEveryOffsetOfTheCutComeOutWhole() {
        for (int shift = 1; shift <= 3; shift++) {
            out.clear();
            String text = "b".repeat(CAP - shift) + "😀".repeat(3 * CHUNK / 4) + "!";
            printed(text.getBytes(StandardCharsets.UTF_8));
            assertThat(joined()).as("shift %d", shift).isEqualTo(text);
            assertThat(out).allSatisfy(m -> assertThat(m.length).isLessThanOrEqualTo(CAP));
        }
    }

    @Test
    void bytesThatAreNotUtf8AtTheCutStillBecomeOneReplacementEach() {
        byte[] line = new byte[CAP + 5];
        Arrays.fill(line, (byte) 'c');
        line[CAP - 1] = (byte) 0xFF; // never part of UTF-8: cut as it is
        printed(line);
        assertThat(out).hasSize(2);
        assertThat(new String(out.get(0), StandardCharsets.UTF_8)).endsWith("c\uFFFD");
        assertThat(out.get(1)).hasSize(5);
    }

    @Test
    void anUnendedLineAtTheEndOfTheLogComesOutAsItIs() {
        byte[] piece = new byte[CHUNK];
        Arrays.fill(piece, (byte) 'd');
        lines.entry(TS, piece, 0, CHUNK, false, (ts, m) -> out.add(m));
        assertThat(lines.open()).isTrue();
        lines.finish((ts, m) -> out.add(m));
        assertThat(out).extracting(m -> m.length).containsExactly(CHUNK);
        assertThat(lines.idle()).isTrue();
    }
}
