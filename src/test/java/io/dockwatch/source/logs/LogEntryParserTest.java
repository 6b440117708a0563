package io.dockwatch.source.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.dockwatch.record.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whole lines from recorded logs API bytes (Engine 20.10), fed in pieces of any size. */
class LogEntryParserTest {
    record Line(String stream, String ts, String message, String safeTs, int safeCount) {
    }

    private static byte[] fixture(String name) throws Exception {
        try (InputStream in = LogEntryParserTest.class.getResourceAsStream("/docker-api/engine-20.10/" + name)) {
            return in.readAllBytes();
        }
    }

    private static List<Line> parse(byte[] data, boolean tty, int pieceSize, LogPosition resumeAt) throws Exception {
        return parse(data, tty, pieceSize, resumeAt, LogFollower.MAX_LINE_BYTES);
    }

    private static List<Line> parse(byte[] data, boolean tty, int pieceSize, LogPosition resumeAt, int maxLineBytes)
            throws Exception {
        List<Line> lines = new ArrayList<>();
        LogEntryParser p = new LogEntryParser(tty, maxLineBytes,
                (s, ts, m, safeTs, safeCount) -> lines.add(new Line(s, ts, new String(m, StandardCharsets.UTF_8), safeTs, safeCount)));
        if (resumeAt != null) {
            p.resumeAt(resumeAt.ts(), resumeAt.count());
        }
        int pos = 0;
        while (pos < data.length) {
            byte[] buf = p.buffer();
            int off = p.writeOffset();
            int n = Math.min(Math.min(pieceSize, data.length - pos), buf.length - off);
            System.arraycopy(data, pos, buf, off, n);
            p.parse(n);
            pos += n;
        }
        p.finish();
        return lines;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 4096, 1 << 20})
    void multiplexedStreamGivesWholeLinesWhateverTheReadSizes(int pieceSize) throws Exception {
        List<Line> lines = parse(fixture("logs-mux.bin"), false, pieceSize, null);

        assertThat(lines).extracting(Line::stream).containsExactly("stdout", "stderr", "stdout", "stdout", "stdout");
        assertThat(lines.get(0).message()).isEqualTo("a");
        assertThat(lines.get(1).message()).isEqualTo("b");
        // 20,000 bytes: Docker split it at 16 KiB, joined again here
        assertThat(lines.get(2).message()).hasSize(20000).matches("x+");
        // invalid UTF-8 and a NUL byte still give a string that serialises to valid JSON
        assertThat(lines.get(3).message()).startsWith("\uFFFD\uFFFDgarbage").endsWith("end");
        assertThat(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(lines.get(3).message())).asText())
                .isEqualTo(lines.get(3).message());
        // the program's last output had no newline: still a line
        assertThat(lines.get(4).message()).isEqualTo("last");
        assertThat(lines.get(0).ts()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 5000, 1 << 20})
    void ttyStreamJoinsSplitLinesAndTrimsCarriageReturns(int pieceSize) throws Exception {
        List<Line> lines = parse(fixture("logs-tty.bin"), true, pieceSize, null);

        assertThat(lines).extracting(Line::stream).containsOnly("tty");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).message()).hasSize(40000).matches("y+");
        assertThat(lines.get(1).message()).isEqualTo("short");
    }

    @Test
    void resumingAtAPositionSkipsExactlyWhatWasDeliveredBefore() throws Exception {
        byte[] data = fixture("logs-mux.bin");
        List<Line> all = parse(data, false, 1 << 20, null);
        for (int i = 0; i < all.size(); i++) {
            Line delivered = all.get(i);
            List<Line> rest = parse(data, false, 1 << 20, new LogPosition(delivered.safeTs(), delivered.safeCount(), null));
            // the recorded stream starts before the checkpoint, as Docker's since= may: only later lines come out
            assertThat(rest).as("after line %d", i).extracting(Line::message)
                    .containsExactlyElementsOf(all.subList(i + 1, all.size()).stream().map(Line::message).toList());
        }
    }

    private static final String TS = "2026-12-02T08:46:22.788278322Z";
    private static final int CHUNK = LogEntryParser.PARTIAL_CHUNK_BYTES;

    /**
     * What Engine 20.10 sends for {@code yes | tr -d "\n" | head -c N} (without a TTY also a
     * line after it): every 16 KiB piece stamped with the first piece's time, the last one short.
     */
    private static byte[] endlessLine(boolean tty, int total) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        java.util.function.Consumer<String> entry = e -> {
            byte[] payload = e.getBytes(StandardCharsets.US_ASCII);
            if (!tty) {
                b.writeBytes(new byte[] {1, 0, 0, 0, (byte) (payload.length >>> 24), (byte) (payload.length >>> 16),
                        (byte) (payload.length >>> 8), (byte) payload.length});
            }
            b.writeBytes(payload);
        };
        for (int left = total; left > 0; left -= CHUNK) {
            entry.accept(TS + " " + "y".repeat(Math.min(left, CHUNK)));
        }
        if (!tty) {
            // a TTY's run ends here (a short piece is the last output of a program); frames go on
            entry.accept("2026-12-02T08:46:23.000000001Z after\n");
        }
        return b.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anEndlessLineComesOutInPiecesAtTheCapAndAResumeAfterAnyPieceNeitherLosesNorRepeatsABytes(boolean tty)
            throws Exception {
        int total = 20 * CHUNK + 777;
        int cap = 4 * CHUNK;
        byte[] data = endlessLine(tty, total);

        List<Line> all = parse(data, tty, 5000, null, cap);

        List<Line> pieces = tty ? all : all.subList(0, all.size() - 1);
        if (!tty) {
            assertThat(all).extracting(Line::message).last().isEqualTo("after");
        }
        assertThat(pieces).extracting(l -> l.message().length()).containsExactly(cap, cap, cap, cap, cap, 777);
        assertThat(pieces).extracting(Line::ts).containsOnly(TS);
        for (int i = 0; i < pieces.size() - 1; i++) {
            Line piece = pieces.get(i);
            // the position after a piece is exact: what a restarted collector reads from there is the rest
            assertThat(piece.safeTs()).as("piece %d has a position", i).isEqualTo(TS);
            List<Line> rest = parse(data, tty, 5000, new LogPosition(piece.safeTs(), piece.safeCount(), null), cap);
            List<Line> restPieces = tty ? rest : rest.subList(0, rest.size() - 1);
            String restText = String.join("", restPieces.stream().map(Line::message).toList());
            assertThat(restText).as("after piece %d", i).hasSize(total - (i + 1) * cap).matches("y+");
        }
    }

    @Test
    void aLineOfExactlyTheCapIsOnePieceWithNoEmptyLineAfterIt() throws Exception {
        int cap = 4 * CHUNK;
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (String e : new String[] {TS + " " + "y".repeat(CHUNK), TS + " " + "y".repeat(CHUNK), TS + " " + "y".repeat(CHUNK),
                TS + " " + "y".repeat(CHUNK), TS + " \n", "2026-12-02T08:46:23.000000001Z after\n"}) {
            byte[] payload = e.getBytes(StandardCharsets.US_ASCII);
            b.writeBytes(new byte[] {1, 0, 0, 0, (byte) (payload.length >>> 24), (byte) (payload.length >>> 16),
                    (byte) (payload.length >>> 8), (byte) payload.length});
            b.writeBytes(payload);
        }

        List<Line> lines = parse(b.toByteArray(), false, 5000, null, cap);

        assertThat(lines).extracting(l -> l.message().length()).containsExactly(cap, 5);
    }
}
