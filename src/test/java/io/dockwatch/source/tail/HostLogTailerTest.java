package io.dockwatch.source.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.dockwatch.record.Json;
import io.dockwatch.spool.Checkpoint;
import io.dockwatch.spool.CheckpointStore;
import io.dockwatch.spool.Spool;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tailer against real files and the real spool: its checkpoints become durable in the spool
 * with the lines, and a "restart" is a new spool and tailer over the same folders, as in the
 * collector. Every scenario checks the exact lines a user would find, in order.
 */
class HostLogTailerTest {
    private static final Duration PARTIAL_FLUSH = Duration.ofMillis(600);
    private static final Duration ROTATE_WAIT = Duration.ofMillis(300);
    private static final String PREFIX = "host-logs";

    @TempDir
    Path logs;
    @TempDir
    Path state;

    private Spool spool;
    private LogFileTailer tailer;
    private final List<String> delivered = new ArrayList<>();
    private final List<String> deliveredFrom = new ArrayList<>();

    @BeforeEach
    void openSpool() {
        spool = new Spool(state, new CheckpointStore());
    }

    @AfterEach
    void close() {
        if (tailer != null) {
            tailer.close();
        }
        spool.close();
    }

    private boolean accept(Path file, List<String> lines, List<Checkpoint> checkpoints) {
        if (lines.isEmpty()) {
            spool.checkpoint(checkpoints);
        }
        for (int i = 0; i < lines.size(); i++) {
            byte[] json = Json.NODES.objectNode().put("message", lines.get(i)).toString().getBytes(StandardCharsets.UTF_8);
            spool.append(json, i == lines.size() - 1 ? checkpoints : List.of());
            delivered.add(lines.get(i));
            deliveredFrom.add(file.getFileName().toString());
        }
        return true;
    }

    private CheckpointStore store;

    private void start(boolean backlogAll, String... patterns) {
        store = new CheckpointStore();
        spool.close();
        spool = new Spool(state, store);
        tailer = new LogFileTailer(PREFIX, List.of(patterns), store, backlogAll, this::accept, PARTIAL_FLUSH, ROTATE_WAIT);
        tailer.start();
    }

    /** SIGTERM-like: the spool flushes and closes; the next start recovers checkpoints from it. */
    private void stop() {
        tailer.close();
        tailer = null;
        spool.close();
    }

    private void pollFor(Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        do {
            tailer.poll();
            Thread.sleep(50);
        } while (System.nanoTime() < end);
    }

    private static List<String> lines(String prefix, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> prefix + " " + i).toList();
    }

    private static void append(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Test
    void tailsAppendedLinesAndHoldsAPartialLineUntilItsNewline() throws Exception {
        Path app = logs.resolve("app.log");
        append(app, lines("line", 1, 3));
        start(true, app.toString());
        pollFor(Duration.ofMillis(100));
        assertThat(delivered).containsExactlyElementsOf(lines("line", 1, 3));

        Files.writeString(app, "half of a line", StandardOpenOption.APPEND);
        pollFor(Duration.ofMillis(200));
        assertThat(delivered).hasSize(3);
        Files.writeString(app, " and its end\r\nline 5\n", StandardOpenOption.APPEND);
        pollFor(Duration.ofMillis(100));
        assertThat(delivered).endsWith("half of a line and its end", "line 5");
    }

    @Test
    void aLineThatNeverEndsIsHandedOverAfterTheFlushTimeoutAndNotRepeatedAfterARestart() throws Exception {
        Path app = logs.resolve("app.log");
        Files.writeString(app, "prompt> ");
        start(true, app.toString());
        pollFor(PARTIAL_FLUSH.plusMillis(300));
        assertThat(delivered).containsExactly("prompt> ");
        stop();
        start(true, app.toString());
        pollFor(Duration.ofMillis(100));
        assertThat(delivered).containsExactly("prompt> ");
    }

    @Test
    void renameRotationWhileRunningFinishesTheOldFileThenReadsTheNewOne() throws Exception {
        Path app = logs.resolve("app.log");
        append(app, lines("old", 1, 100));
        start(true, app.toString());
        pollFor(Duration.ofMillis(100));
        try (OutputStream writer = new FileOutputStream(app.toFile(), true)) {
            Files.move(app, logs.resolve("app.log.1"), StandardCopyOption.ATOMIC_MOVE);
            // the writer has not reopened yet: its next lines still go to the renamed file
            writer.write((String.join("\n", lines("old", 101, 150)) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        append(app, lines("new", 1, 70));
        pollFor(ROTATE_WAIT.plusMillis(400));

        List<String> expected = new ArrayList<>(lines("old", 1, 150));
        expected.addAll(lines("new", 1, 70));
        assertThat(delivered).containsExactlyElementsOf(expected);
        assertThat(tailer.fileCount()).isEqualTo(1);
    }

    @Test
    void renameRotationWhileStoppedIsFoundByIdentityAndFinishedFirst() throws Exception {
        Path app = logs.resolve("app.log");
        append(app, lines("old", 1, 100));
        start(true, app.toString());
        pollFor(Duration.ofMillis(100));
        stop();

        append(app, lines("old", 101, 130));
        Files.move(app, logs.resolve("app.log.1"));
        append(app, lines("new", 1, 40));
        start(true, app.toString());
        pollFor(ROTATE_WAIT.plusMillis(400));

        List<String> expected = new ArrayList<>(lines("old", 1, 130));
        expected.addAll(lines("new", 1, 40));
        assertThat(delivered).containsExactlyElementsOf(expected);
    }

    @Test
    void copytruncateWhileStoppedStartsTheFileAgainEvenWhenItGrewPastTheOldOffset() throws Exception {
        Path app = logs.resolve("app.log");
        append(app, lines("before", 1, 100));
        start(true, app.toString());
        pollFor(Duration.ofMillis(100));
        stop();

        Files.copy(app, logs.resolve("app.log.1"));
        try (var ch = java.nio.channels.FileChannel.open(app, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        // more bytes than before the truncation: only the changed first bytes tell
        append(app, lines("after truncation", 1, 150));
        start(true, app.toString());
        pollFor(Duration.ofMillis(100));

        List<String> expected = new ArrayList<>(lines("before", 1, 100));
        expected.addAll(lines("after truncation", 1, 150));
        assertThat(delivered).containsExactlyElementsOf(expected);
    }

    @Test
    void copytruncateWhileRunningReadsFromTheStart() throws Exception {
        Path app = logs.resolve("app.log");
        append(app, lines("before", 1, 100));
        start(true, app.toString());
        pollFor(Duration.ofMillis(100));
        try (var ch = java.nio.channels.FileChannel.open(app, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(app, lines("after", 1, 10));
        pollFor(Duration.ofMillis(100));

        List<String> expected = new ArrayList<>(lines("before", 1, 100));
        expected.addAll(lines("after", 1, 10));
        assertThat(delivered).containsExactlyElementsOf(expected);
    }

    /** What logrotate's copytruncate leaves: the old content in a copy, the live file cut to nothing. */
    private static void copyTruncate(Path file, Path copy) throws IOException {
        Files.copy(file, copy);
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    @Test
    void copytruncateWrittenBackToExactlyTheOldSizeBeforeTheNextPollIsSeenByItsFirstBytes() throws Exception {
        Path app = logs.resolve("app.log");
        append(app, lines("before", 1, 100));
        start(true, app.toString());
        pollFor(Duration.ofMillis(100));
        long oldSize = Files.size(app);
        copyTruncate(app, logs.resolve("app.log.1"));
        // "after-" is as long as "before": same size, same inode; only the content differs
        append(app, lines("after-", 1, 100));
        assertThat(Files.size(app)).isEqualTo(oldSize);
        pollFor(Duration.ofMillis(100));
        assertThat(delivered).hasSize(200).endsWith("after- 100");
        append(app, lines("after-", 101, 120));
        pollFor(Duration.ofMillis(100));

        List<String> expected = new ArrayList<>(lines("before", 1, 100));
        expected.addAll(lines("after-", 1, 120));
        assertThat(delivered).containsExactlyElementsOf(expected);
    }

    @Test
    void copytruncateWrittenBackPastTheOldSizeWhileALineWasHalfReadIsSeenByItsFirstBytes() throws Exception {
        Path app = logs.resolve("app.log");
        append(app, lines("before", 1, 50));
        Files.writeString(app, "a line cut by the rotation", StandardOpenOption.APPEND);
        start(true, app.toString());
        pollFor(Duration.ofMillis(100));
        assertThat(delivered).containsExactlyElementsOf(lines("before", 1, 50));
        copyTruncate(app, logs.resolve("app.log.1"));
        append(app, lines("after truncation", 1, 300));
        pollFor(Duration.ofMillis(100));

        // the half line went with the copy (not followed); nothing of it is glued to the new lines
        List<String> expected = new ArrayList<>(lines("before", 1, 50));
        expected.addAll(lines("after truncation", 1, 300));
        assertThat(delivered).containsExactlyElementsOf(expected);
    }

    @Test
    void aShortFileCutAndRewrittenIsSeenEvenBeforeItsFirstLineEnded() throws Exception {
        Path app = logs.resolve("app.log");
        Files.writeString(app, "partial");
        start(true, app.toString());
        pollFor(Duration.ofMillis(100));
        assertThat(delivered).isEmpty();
        copyTruncate(app, logs.resolve("app.log.1"));
        Files.writeString(app, "fresh 1\nfresh 2\n", StandardOpenOption.APPEND);
        pollFor(Duration.ofMillis(100));
        assertThat(delivered).containsExactly("fresh 1", "fresh 2");
    }

    @Test
    void aGlobPicksUpNewFilesAndARestartRepeatsNothing() throws Exception {
        append(logs.resolve("a.log"), lines("a", 1, 5));
        Files.writeString(logs.resolve("ignored.txt"), "not a log\n");
        start(true, logs.resolve("*.log").toString());
        pollFor(Duration.ofMillis(100));
        append(logs.resolve("b.log"), lines("b", 1, 5));
        pollFor(Duration.ofMillis(100));
        stop();
        append(logs.resolve("a.log"), lines("a", 6, 7));
        start(true, logs.resolve("*.log").toString());
        pollFor(Duration.ofMillis(100));

        List<String> expected = new ArrayList<>(lines("a", 1, 5));
        expected.addAll(lines("b", 1, 5));
        expected.addAll(lines("a", 6, 7));
        assertThat(delivered).containsExactlyElementsOf(expected);
    }

    @Test
    void backlogNoneSkipsWhatWasThereAtTheFirstStartOnly() throws Exception {
        Path app = logs.resolve("app.log");
        append(app, lines("history", 1, 50));
        start(false, app.toString());
        pollFor(Duration.ofMillis(100));
        append(app, lines("fresh", 1, 3));
        pollFor(Duration.ofMillis(100));
        stop();
        append(app, lines("fresh", 4, 5));
        start(false, app.toString());
        pollFor(Duration.ofMillis(100));
        assertThat(delivered).containsExactlyElementsOf(lines("fresh", 1, 5));
    }

    @Test
    void recursiveGlobsMatchFilesInSubfolders() throws IOException {
        Files.createDirectories(logs.resolve("svc/a"));
        Files.writeString(logs.resolve("svc/a/app.log"), "x\n");
        Files.writeString(logs.resolve("svc/top.log"), "y\n");
        assertThat(LogFileTailer.expand(logs + "/**/app.log")).containsExactly(logs.resolve("svc/a/app.log"));
        assertThat(LogFileTailer.expand(logs + "/svc/*.log")).containsExactly(logs.resolve("svc/top.log"));
        assertThat(LogFileTailer.expand(logs + "/missing/*.log")).isEmpty();
    }
}
