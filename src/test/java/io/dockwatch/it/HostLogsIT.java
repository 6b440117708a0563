package io.dockwatch.it;

import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.settings.Settings;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host log files through rotations by rename and by copytruncate, while running and across a
 * collector restart, and the daemon's log from the file dockerd writes (scripts/test-env.sh).
 */
class HostLogsIT {
    private static final Path DOCKERD_LOG = Path.of("/var/log/dockwatch-test/dockerd.log");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private static List<String> lines(String prefix, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> prefix + " " + i).toList();
    }

    private static void append(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** What logrotate's copytruncate does: copy, then cut the live file to nothing. */
    private static void copyTruncate(Path file, Path copy) throws IOException {
        Files.copy(file, copy);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    private static Predicate<JsonNode> hostLog(String prefix) {
        return kind("host.log").and(r -> r.path("message").asText().startsWith(prefix + " "));
    }

    private static List<String> messages(Collector c, Predicate<JsonNode> p) {
        return c.records(p).stream().map(r -> r.path("message").asText()).toList();
    }

    private static void awaitExactly(Collector c, Predicate<JsonNode> p, List<String> expected) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> c.records(p).size() >= expected.size());
        assertThat(messages(c, p)).containsExactlyElementsOf(expected);
    }

    @Test
    void rotationsByRenameAndCopytruncateKeepExactLinesAcrossARestartAndDaemonLinesArrive() throws Exception {
        Path logs = Files.createDirectories(work.resolve("logs"));
        Path app = logs.resolve("app.log");
        Path copied = logs.resolve("copied.log");
        Path globbed = Files.createDirectories(logs.resolve("more"));
        boolean dockerdLog = Files.isReadable(DOCKERD_LOG);
        Collector collector = new Collector(work)
                .with(Settings.HOST_LOGS, app + "," + copied + "," + globbed + "/*.log")
                // the test's files are all new; dockerd's log is read from its end
                .with(Settings.HOST_LOGS_BACKLOG, "none");
        if (dockerdLog) {
            collector.with(Settings.DAEMON_LOG, DOCKERD_LOG.toString());
        }
        String container = Docker.uniqueName("daemon-log");
        try (collector) {
            collector.start();
            append(app, lines("app", 1, 1000));
            append(copied, lines("copied", 1, 500));
            append(globbed.resolve("new.log"), lines("globbed", 1, 10));
            awaitExactly(collector, hostLog("app"), lines("app", 1, 1000));
            awaitExactly(collector, hostLog("copied"), lines("copied", 1, 500));
            awaitExactly(collector, hostLog("globbed"), lines("globbed", 1, 10));
            JsonNode one = collector.records(hostLog("app")).get(0);
            assertThat(one.path("log").path("file").path("path").asText()).isEqualTo(app.toString());

            if (dockerdLog) {
                // dockerd logs the end of every container's task with its ID
                docker("run", "--name", container, TEST_IMAGE, "true");
                String fullId = docker("inspect", "--format", "{{.Id}}", container);
                JsonNode line = collector.awaitRecords(kind("daemon.log").and(r -> r.path("message").asText().contains(fullId)),
                        1, WAIT).get(0);
                assertThat(line.path("log").path("file").path("path").asText()).isEqualTo(DOCKERD_LOG.toString());
            }
            assertThat(collector.stop()).isZero();

            // while stopped: more lines, then rotation by rename; and copytruncate with more bytes than before
            append(app, lines("app", 1001, 1200));
            Files.move(app, logs.resolve("app.log.1"));
            append(app, lines("app", 1201, 1500));
            copyTruncate(copied, logs.resolve("copied.log.1"));
            append(copied, lines("copied", 501, 1300));
            collector.start();
            awaitExactly(collector, hostLog("app"), lines("app", 1, 1500));
            awaitExactly(collector, hostLog("copied"), lines("copied", 1, 1300));

            // while running: both rotations again
            Files.move(app, logs.resolve("app.log.2"));
            append(app, lines("app", 1501, 1600));
            copyTruncate(copied, logs.resolve("copied.log.2"));
            append(copied, lines("copied", 1301, 1350));
            awaitExactly(collector, hostLog("app"), lines("app", 1, 1600));
            awaitExactly(collector, hostLog("copied"), lines("copied", 1, 1350));

            // SIGKILL: no flush, no goodbye; the checkpoints in the spool are exactly as far as its records
            collector.kill();
            append(app, lines("app", 1601, 1700));
            collector.start();
            awaitExactly(collector, hostLog("app"), lines("app", 1, 1700));
            Thread.sleep(1500); // nothing more may come
            assertThat(messages(collector, hostLog("app"))).containsExactlyElementsOf(lines("app", 1, 1700));
            assertThat(messages(collector, hostLog("copied"))).containsExactlyElementsOf(lines("copied", 1, 1350));
            assertThat(collector.stop()).isZero();
        } finally {
            Docker.removeQuietly(container);
        }
    }

    @Test
    void copytruncateWrittenBackToTheOldSizeOrPastItBeforeTheNextPollIsReadExactlyOnce() throws Exception {
        Path logs = Files.createDirectories(work.resolve("logs"));
        Path same = logs.resolve("same.log");
        Path longer = logs.resolve("longer.log");
        try (Collector collector = new Collector(work).with(Settings.HOST_LOGS, same + "," + longer)
                .with(Settings.HOST_LOGS_BACKLOG, "none").start()) {
            append(same, lines("before", 1, 400));
            append(longer, lines("longer", 1, 400));
            awaitExactly(collector, hostLog("before"), lines("before", 1, 400));
            awaitExactly(collector, hostLog("longer"), lines("longer", 1, 400));

            // both rewrites take a few milliseconds, well inside the tailer's 500 ms poll
            long oldSize = Files.size(same);
            copyTruncate(same, logs.resolve("same.log.1"));
            append(same, lines("after-", 1, 400)); // "after-" is as long as "before": the same size again
            copyTruncate(longer, logs.resolve("longer.log.1"));
            append(longer, lines("longer", 401, 1000));
            assertThat(Files.size(same)).isEqualTo(oldSize);

            awaitExactly(collector, hostLog("after-"), lines("after-", 1, 400));
            awaitExactly(collector, hostLog("longer"), lines("longer", 1, 1000));
            append(same, lines("after-", 401, 450));
            awaitExactly(collector, hostLog("after-"), lines("after-", 1, 450));
            Thread.sleep(1500); // nothing more may come
            assertThat(messages(collector, hostLog("before"))).containsExactlyElementsOf(lines("before", 1, 400));
            assertThat(messages(collector, hostLog("after-"))).containsExactlyElementsOf(lines("after-", 1, 450));
            assertThat(messages(collector, hostLog("longer"))).containsExactlyElementsOf(lines("longer", 1, 1000));
            assertThat(collector.stop()).isZero();
        }
    }
}
