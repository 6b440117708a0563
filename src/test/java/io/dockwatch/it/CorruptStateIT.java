package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.kind;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.Http;
import io.dockwatch.testing.RealDaemonTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A real collector's state dir damaged between a stop and a start, the way a power loss or a
 * full disk leaves it (an empty cursor, a torn snapshot, garbage and NUL bytes after the last
 * record of the spool): it starts anyway, names each file it skipped in one WARN line, counts
 * it, and goes on collecting.
 */
class CorruptStateIT extends RealDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aDamagedStateDirIsReportedAndSkippedAndCollectionGoesOn() throws Exception {
        String before = name("corrupt-before");
        String after = name("corrupt-after");
        try (Collector collector = new Collector(work)
                // only this test's containers: the daemon is shared with other tests
                .with("dockwatch.containers.include", before + "," + after)
                .start()) {
            Docker.docker("run", "--network", "none", "--name", before,
                    Docker.TEST_IMAGE, "seq", "1", "1000");
            collector.awaitRecords(kind("log").and(containerName(before)), 1000, WAIT);
            assertThat(collector.stop()).isZero();

            Path spool = work.resolve("state/spool/records");
            Path snapshot = spool.resolve("checkpoints.json");
            Path cursor = spool.resolve("readers/file.json");
            Path segment;
            try (Stream<Path> s = Files.list(spool)) {
                segment = s.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
            }
            Files.writeString(snapshot, "{\"segment\":1,\"offset\":12,\"posi");
            Files.write(cursor, new byte[0]);
            byte[] powerLoss = new byte[8192]; // a page the disk never got, then garbage, then a torn line
            powerLoss[4095] = '\n';
            Files.write(segment, powerLoss, StandardOpenOption.APPEND);
            Files.writeString(segment, "garbage\n{\"kind\":\"log\",\"mess", StandardOpenOption.APPEND);

            collector.start(); // fails if the process exits
            Docker.docker("run", "--network", "none", "--name", after,
                    Docker.TEST_IMAGE, "seq", "1", "500");
            collector.awaitRecords(kind("log").and(containerName(after)), 500, WAIT);
            assertThat(collector.isAlive()).isTrue();

            List<JsonNode> afterLines = collector.records(kind("log").and(containerName(after))); // all JSON
            Map<String, Long> counts = afterLines.stream()
                    .collect(Collectors.groupingBy(r -> r.path("message").asText(), Collectors.counting()));
            assertThat(counts).hasSize(500).allSatisfy((line, n) -> assertThat(n).as(line).isEqualTo(1));
            assertThat(collector.records(kind("log").and(containerName(before))))
                    .as("the first container's lines are all there (the emptied cursor may send some again)")
                    .extracting(r -> r.path("message").asText()).containsAll(
                            java.util.stream.IntStream.rangeClosed(1, 1000).mapToObj(Integer::toString).toList());

            String log = collector.logText();
            assertThat(log).contains("Damaged state file " + snapshot).contains("Damaged state file " + cursor)
                    .contains("Damaged state file " + segment);
            String metrics = Http.get(collector.baseUrl() + "/observe/metrics").body();
            assertThat(metrics).contains("dockwatch_state_recovered_total{file=\"" + snapshot + "\"} 1")
                    .contains("dockwatch_state_recovered_total{file=\"" + cursor + "\"} 1")
                    .contains("dockwatch_state_recovered_total{file=\"" + segment + "\"} 1");
            assertThat(collector.stop()).isZero();
        }
    }
}
