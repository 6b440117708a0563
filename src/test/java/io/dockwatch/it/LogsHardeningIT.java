package io.dockwatch.it;

import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.RealDaemonTest;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A container is untrusted input: a TTY that never prints a newline, a line of hundreds of MB, a
 * label carrying a catastrophic regex. Under the shipped jvm.options (a 64 MiB heap, which only a host of
 * hundreds of containers grows) the collector
 * stays up, delivers every byte in pieces, and a quiet neighbour's lines arrive exact and on time.
 */
class LogsHardeningIT extends RealDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** The cap of a joined line (LogStreamFrames.MAX_LINE_BYTES): pieces are never longer. */
    private static final int MAX_PIECE_BYTES = 1024 * 1024;

    private Collector collector() {
        // the daemon is shared: only this test's containers
        return new Collector(work).with("dockwatch.containers.include", "dwt-lhard-*");
    }

    @Test
    void aTtyPrintingWithoutANewlineArrivesInPiecesThroughAKillAndAQuietNeighbourStaysExact() {
        int flood = 100_000_000;
        int quietLines = 400;
        Collector collector = collector().start();
        try {
            String tty = name("lhard-tty");
            String quiet = name("lhard-quiet");
            docker("run", "-d", "--name", quiet, TEST_IMAGE, "sh", "-c",
                    "i=0; while [ $i -lt " + quietLines + " ]; do i=$((i+1)); echo quiet-$i; sleep 0.05; done");
            docker("run", "-d", "-t", "--name", tty, TEST_IMAGE, "sh", "-c", "yes | tr -d '\\n' | head -c " + flood);
            Output out = new Output(collector.outputDir(), tty, quiet);

            // killed mid-flood and started again: the pieces go on from the checkpoint
            await().atMost(WAIT).until(() -> out.scan().floodBytes >= 20_000_000 || !collector.isAlive());
            assertThat(collector.isAlive()).as("collector alive in the flood:\n%s", tail(collector)).isTrue();
            collector.kill();
            collector.start();

            await().atMost(WAIT).until(() -> out.scan().floodBytes >= flood && out.quiet.size() >= quietLines
                    || !collector.isAlive());
            assertThat(collector.isAlive()).as("collector alive:\n%s", tail(collector)).isTrue();
            assertThat(collector.stop()).isZero();
            out.scan();
            assertThat(out.floodBytes).as("the flood's bytes, each once").isEqualTo(flood);
            assertThat(out.floodPieceMax).isLessThanOrEqualTo(MAX_PIECE_BYTES);
            assertThat(out.floodRecords).isGreaterThanOrEqualTo(flood / MAX_PIECE_BYTES);
            assertThat(out.floodOnlyY).as("nothing but the printed bytes in the pieces").isTrue();
            assertThat(out.floodStreams).containsOnly("tty");
            assertThat(out.quiet).as("the neighbour's lines: exact, in order, once")
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, quietLines).mapToObj(i -> "quiet-" + i).toList());
        } finally {
            collector.close();
        }
    }

    /**
     * The issue asks for a line of 1 GB: it takes this loaded 2-core machine 70 to 160 s to print
     * (measured by hand: delivered whole, in 954 pieces, the collector up). 200 MB, three times the
     * heap, proves the same (no line is held whole) in a fraction of the time.
     */
    @Test
    void aSingleLineOfHundredsOfMegabytesArrivesInPiecesAndTheCollectorStaysUp() {
        int length = 200_000_000;
        try (Collector collector = collector().start()) {
            String big = name("lhard-line");
            docker("run", "-d", "--name", big, TEST_IMAGE, "sh", "-c",
                    "head -c " + length + " /dev/zero | tr '\\0' a; echo; echo done");
            Output out = new Output(collector.outputDir(), big, null);

            await().atMost(WAIT).until(() -> out.scan().floodBytes >= length + "done".length() || !collector.isAlive());
            assertThat(collector.isAlive()).as("collector alive:\n%s", tail(collector)).isTrue();
            assertThat(collector.stop()).isZero();
            out.scan();
            assertThat(out.floodBytes).isEqualTo(length + "done".length());
            assertThat(out.floodPieceMax).isLessThanOrEqualTo(MAX_PIECE_BYTES);
            assertThat(out.lastFloodMessage).isEqualTo("done");
            assertThat(out.floodStreams).containsOnly("stdout");
        }
    }

    @Test
    void patternsFromLabelsStallNeitherTheirContainerNorANeighbour() {
        // with a backtracking matcher, (a|a){1,30}b on 40 a's and no b takes about 2^30 steps
        // ((a|a){1,100}b: 7 s at 24 a's here): the read loop shared with the neighbour would stall.
        // (a|a)*b, the classic, Java 9 and later no longer explode on.
        String evilLine = "a".repeat(40) + "c";
        // linear, but a thousand-fold repetition costs half a millisecond per character: refused
        String costlyLine = "a".repeat(2000);
        int evilLines = 20;
        int quietLines = 80;
        try (Collector collector = collector().start()) {
            String evil = name("lhard-evil");
            String costly = name("lhard-costly");
            String quiet = name("lhard-calm");
            docker("run", "-d", "--name", quiet, TEST_IMAGE, "sh", "-c",
                    "i=0; while [ $i -lt " + quietLines + " ]; do i=$((i+1)); echo calm-$i; sleep 0.1; done");
            Output evilOut = new Output(collector.outputDir(), evil, quiet);
            // the neighbour is followed (on a loaded machine that can take seconds) before the patterns run
            await().atMost(Duration.ofSeconds(45)).until(() -> !evilOut.scan().quiet.isEmpty());
            long patternsFrom = System.currentTimeMillis();
            docker("run", "-d", "--name", evil, "-l", "dockwatch.multiline.start=(a|a){1,30}b", TEST_IMAGE, "sh", "-c",
                    "for i in $(seq 1 " + evilLines + "); do echo " + evilLine + "; done; sleep 3; echo b-starts-a-record");
            docker("run", "-d", "--name", costly, "-l", "dockwatch.multiline.start=(.*){1,1000}b", TEST_IMAGE, "sh", "-c",
                    "for i in $(seq 1 " + evilLines + "); do echo " + costlyLine + "; done; echo done");
            Output costlyOut = new Output(collector.outputDir(), costly, null);

            // the neighbour prints for 8 s or more: its lines all arrive, each soon after it was printed
            await().atMost(Duration.ofSeconds(60)).until(() -> evilOut.scan().quiet.size() >= quietLines);
            assertThat(evilOut.quiet).containsExactlyElementsOf(IntStream.rangeClosed(1, quietLines).mapToObj(i -> "calm-" + i).toList());
            assertThat(evilOut.quietDelayMaxMillisFrom(patternsFrom)).as("the neighbour's slowest line, ms after Docker read it, of %s; collector log:\n%s",
                    evilOut.quietDelays.stream().map(d -> d[1]).toList(), tail(collector)).isLessThan(5000);
            // no line matched the pattern, so they merged into one record; the line that matches starts the next
            await().atMost(Duration.ofSeconds(30)).until(() -> evilOut.scan().floodMessages.size() >= 2);
            // the costly pattern is refused for its container: every line still arrives, one by one
            await().atMost(Duration.ofSeconds(30)).until(() -> costlyOut.scan().floodMessages.contains("done"));
            assertThat(collector.stop()).isZero();
            evilOut.scan();
            assertThat(evilOut.floodMessages).containsExactly(String.join("\n", java.util.Collections.nCopies(evilLines, evilLine)),
                    "b-starts-a-record");
            costlyOut.scan();
            List<String> lines = new ArrayList<>(java.util.Collections.nCopies(evilLines, costlyLine));
            lines.add("done");
            assertThat(costlyOut.floodMessages).containsExactlyElementsOf(lines);
            // refused for its size (5,002 instructions), or, compiled on a reader thread's small stack, for its depth
            assertThat(collector.logText()).contains("Ignoring label dockwatch.multiline.start=(.*){1,1000}b: ");
            assertThat(collector.logText()).doesNotContain("is too slow");
        }
    }

    private static String tail(Collector c) {
        String[] lines = c.logText().split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 30), lines.length));
    }

    /**
     * Reads the sink's output as it grows, only what was added since the last scan, and parses only
     * the records of the two containers: a flood is hundreds of MB, too much to reread every poll.
     */
    private static final class Output {
        private final Path dir;
        private final String flood;
        private final String quietName;
        private final Map<Path, Long> read = new HashMap<>();
        long floodBytes;
        int floodRecords;
        int floodPieceMax;
        boolean floodOnlyY = true;
        String lastFloodMessage;
        final java.util.Set<String> floodStreams = new java.util.TreeSet<>();
        /** The flood container's messages, kept only while they are short (the pattern test). */
        final List<String> floodMessages = new ArrayList<>();
        final List<String> quiet = new ArrayList<>();
        /** The quiet container's slowest line: seen in the output this long after Docker's timestamp. */
        /** Per quiet line: Docker's time of it, and how long after it the line was seen in the output (ms). */
        final List<long[]> quietDelays = new ArrayList<>();

        long quietDelayMaxMillisFrom(long fromMillis) {
            return quietDelays.stream().filter(d -> d[0] >= fromMillis).mapToLong(d -> d[1]).max().orElse(-1);
        }

        Output(Path dir, String flood, String quietName) {
            this.dir = dir;
            this.flood = flood;
            this.quietName = quietName;
        }

        Output scan() {
            if (!Files.isDirectory(dir)) {
                return this;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".ndjson")).sorted().toList()) {
                    scan(f);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        private void scan(Path f) throws IOException {
            try (RandomAccessFile in = new RandomAccessFile(f.toFile(), "r")) {
                long from = read.getOrDefault(f, 0L);
                long to = in.length();
                if (to <= from) {
                    return;
                }
                byte[] data = new byte[(int) (to - from)];
                in.seek(from);
                in.readFully(data);
                int lineStart = 0;
                for (int i = 0; i < data.length; i++) {
                    if (data[i] == '\n') {
                        record(new String(data, lineStart, i - lineStart, StandardCharsets.UTF_8));
                        lineStart = i + 1;
                    }
                }
                read.put(f, from + lineStart); // a line still being written is read next time
            }
        }

        private void record(String line) throws IOException {
            boolean isFlood = line.contains("\"name\":\"" + flood + "\"");
            boolean isQuiet = quietName != null && line.contains("\"name\":\"" + quietName + "\"");
            if (!isFlood && !isQuiet) {
                return;
            }
            JsonNode r = Json.MAPPER.readTree(line);
            if (!"log".equals(r.path("kind").asText())) {
                return;
            }
            String message = r.path("message").asText();
            if (isQuiet) {
                quiet.add(message);
                long printed = java.time.Instant.parse(r.path("@timestamp").asText()).toEpochMilli();
                quietDelays.add(new long[] {printed, System.currentTimeMillis() - printed});
                return;
            }
            floodRecords++;
            floodBytes += message.length();
            floodPieceMax = Math.max(floodPieceMax, message.length());
            floodStreams.add(r.path("log").path("stream").asText());
            lastFloodMessage = message;
            if (message.length() <= 65536) {
                floodMessages.add(message);
            }
            if (!message.chars().allMatch(c -> c == 'y')) {
                floodOnlyY = false;
            }
        }
    }
}
