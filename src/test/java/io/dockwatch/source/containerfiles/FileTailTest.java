package io.dockwatch.source.containerfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streaming a container's file into lines: bounded batches, long lines in pieces, exact positions. */
class FileTailTest {
    private final FileTail tail = new FileTail(List.of("/var/log/app/*.log"), null);
    private final List<List<String>> batches = new ArrayList<>();
    private final List<Long> offsetsAtDelivery = new ArrayList<>();

    private boolean accept(FileTail.Read read, List<String> lines) {
        batches.add(List.copyOf(lines));
        offsetsAtDelivery.add(tail.checkpoint().path("files").path(read.recordPath()).path("offset").asLong());
        return true;
    }

    private static void feedInPieces(Exec.Output out, byte[] data, int piece) throws Exception {
        for (int i = 0; i < data.length; i += piece) {
            out.write(data, i, Math.min(piece, data.length - i));
        }
    }

    @Test
    void manyLinesGoInBatchesOfBoundedSizeWithThePositionAfterEachBatch() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 2500; i++) {
            sb.append("line ").append(i).append('\n');
        }
        sb.append("half a line");
        byte[] data = sb.toString().getBytes(StandardCharsets.UTF_8);
        FileTail.Read read = new FileTail.Read("/var/log/app/a.log", "/var/log/app/a.log", 7, 0, data.length);
        FileTail.Lines lines = tail.lines(read, this::accept);
        feedInPieces(lines, data, 777);
        lines.finish(false);

        assertThat(batches).hasSize(3);
        assertThat(batches).allMatch(b -> b.size() <= FileTail.MAX_BATCH_LINES);
        List<String> all = batches.stream().flatMap(List::stream).toList();
        assertThat(all).hasSize(2500).startsWith("line 1").endsWith("line 2500");
        // the half line waits for its newline: the position stops before it
        long lastOffset = offsetsAtDelivery.get(offsetsAtDelivery.size() - 1);
        assertThat(lastOffset).isEqualTo(data.length - "half a line".length());
    }

    @Test
    void aLineWithoutEndIsHandedOverInPiecesOfTheCapAndTheLastLineOfAStoppedContainerGoesToo() throws Exception {
        int size = FileTail.MAX_LINE_BYTES * 2 + 10;
        byte[] data = "y".repeat(size).getBytes(StandardCharsets.US_ASCII);
        FileTail.Read read = new FileTail.Read("/var/log/app/a.log", "/var/log/app/a.log", 7, 0, data.length);
        FileTail.Lines lines = tail.lines(read, this::accept);
        feedInPieces(lines, data, Exec.CHUNK);
        lines.finish(true);

        List<String> all = batches.stream().flatMap(List::stream).toList();
        assertThat(all).hasSize(3);
        assertThat(all.get(0).length() + all.get(1).length() + all.get(2).length()).isEqualTo(size);
        assertThat(all).allMatch(l -> l.length() < FileTail.MAX_LINE_BYTES + Exec.CHUNK);
        assertThat(offsetsAtDelivery.get(offsetsAtDelivery.size() - 1)).isEqualTo(size);
    }

    @Test
    void aBatchTheSinkDidNotTakeLeavesThePositionWhereItWas() throws Exception {
        byte[] data = "a\nb\n".getBytes(StandardCharsets.US_ASCII);
        FileTail.Read read = new FileTail.Read("/var/log/app/a.log", "/var/log/app/a.log", 7, 100, data.length);
        FileTail.Lines lines = tail.lines(read, (r, batch) -> false);
        lines.write(data, 0, data.length);
        assertThatThrownBy(() -> lines.finish(false)).isInstanceOf(FileTail.NotDelivered.class);
        assertThat(tail.checkpoint().path("files").has("/var/log/app/a.log")).isFalse();
    }

    @Test
    void theListingKeepsOnlyMatchingFilesAndThoseAFollowedFileWasRotatedTo() throws Exception {
        FileTail followed = new FileTail(List.of("/var/log/app/*.log"), io.dockwatch.record.Json.MAPPER.readTree(
                "{\"files\":{\"/var/log/app/a.log\":{\"inode\":42,\"offset\":10}}}"));
        FileTail.Listing listing = followed.listing();
        String out = "42 100 /var/log/app/a.log.1\n43 5 /var/log/app/a.log\n44 9 /var/log/app/core.dump\n"
                + "45 1 /var/log/app/" + "n".repeat(10_000) + ".log\nnot a line\n46 3 /var/log/app/b.log\n";
        feedInPieces(listing, out.getBytes(StandardCharsets.UTF_8), 13);
        assertThat(listing.files).extracting(FileTail.Listed::path)
                .containsExactly("/var/log/app/a.log.1", "/var/log/app/a.log", "/var/log/app/b.log");
    }

    @Test
    void execOutputIsDemultiplexedInPiecesAndStderrKeptShort() throws Exception {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        byte[] big = "z".repeat(200_000).getBytes(StandardCharsets.US_ASCII);
        frames.write(new byte[] {1, 0, 0, 0, 0, 3, 0x0d, 0x40}); // 200,000 bytes of stdout in one frame
        frames.write(big);
        byte[] err = "e".repeat(5000).getBytes(StandardCharsets.US_ASCII);
        frames.write(new byte[] {2, 0, 0, 0, 0, 0, 0x13, (byte) 0x88});
        frames.write(err);
        List<Integer> pieces = new ArrayList<>();
        byte[] stderr = new byte[2048];
        int kept = Exec.demux(new ByteArrayInputStream(frames.toByteArray()), (b, off, len) -> pieces.add(len), stderr);
        assertThat(pieces.stream().mapToInt(Integer::intValue).sum()).isEqualTo(200_000);
        assertThat(pieces).allMatch(n -> n <= Exec.CHUNK);
        assertThat(kept).isEqualTo(2048);
    }
}
