package io.dockwatch.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Contexts of destroyed containers go: only the last few are kept, for a die still being explained. */
class ContainerContextsBoundTest {
    @Test
    void destroyedContainersLeaveAtMostTheLastFewContextsAndALateCallDoesNotBringOneBack() {
        ContainerContexts contexts = new ContainerContexts(20);
        int n = ContainerContexts.MAX_DESTROYED_KEPT + ContainerContexts.MAX_TOMBSTONES + 1000;
        for (int i = 0; i < n; i++) {
            String id = "c" + i;
            contexts.config("d", id, "hash", false);
            contexts.lines("d", id).line("t", "stdout", "hello".getBytes(StandardCharsets.UTF_8));
            contexts.destroyed("d", id);
            contexts.logsDone("d", id); // a follower ending after the destroy
        }
        int bound = ContainerContexts.MAX_DESTROYED_KEPT + ContainerContexts.MAX_TOMBSTONES;
        assertThat(contexts.size()).isEqualTo(bound);
        // the latest destroyed still explain their die; older ones keep only the mark, no lines
        assertThat(contexts.snapshot("d", "c" + (n - 1)).path("logs")).hasSize(1);
        assertThat(contexts.snapshot("d", "c" + (n - 1 - ContainerContexts.MAX_DESTROYED_KEPT)).path("logs")).isEmpty();
        assertThat(contexts.snapshot("d", "c0")).isNull();
        // a late stats sample of a recently destroyed container lands in its kept context, no new one
        contexts.stats("d", "c" + (n - 100), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        assertThat(contexts.size()).isEqualTo(bound);
        // and its die, explained late, does not wait for a configuration that will never come
        contexts.configRecorded("d", true);
        long t = System.nanoTime();
        contexts.awaitLogs("d", "c" + (n - 100), 3000);
        assertThat(System.nanoTime() - t).isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void containersRemovedUnseenGoAfterAFullListing() {
        ContainerContexts contexts = new ContainerContexts(20);
        for (int i = 0; i < 10; i++) {
            contexts.config("d", "c" + i, "hash", false);
        }
        contexts.config("other", "c0", "hash", false);
        contexts.retainOnly("d", Set.of("c0", "c1"), System.nanoTime());
        // marked destroyed: kept a little while, then dropped with the next destroys
        for (int i = 0; i < ContainerContexts.MAX_DESTROYED_KEPT + ContainerContexts.MAX_TOMBSTONES + 1; i++) {
            contexts.config("d", "x" + i, "hash", false);
            contexts.destroyed("d", "x" + i);
        }
        assertThat(contexts.snapshot("d", "c0")).isNotNull();
        assertThat(contexts.snapshot("d", "c1")).isNotNull();
        assertThat(contexts.snapshot("other", "c0")).isNotNull();
        assertThat(contexts.snapshot("d", "c5")).isNull();
    }

    @Test
    void aContainersKeptLinesStayWithinTheirByteBoundAndItsStatsComeBackWhole() throws Exception {
        ContainerContexts contexts = new ContainerContexts(20);
        byte[] longLine = "x".repeat(ContainerContexts.MAX_LINE_BYTES).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 20; i++) {
            contexts.lines("d", "c").line("t" + i, "stdout", longLine);
        }
        var logs = contexts.snapshot("d", "c").path("logs");
        // 20 lines of 2 KiB would be 40 KiB per container: only the newest that fit in the bound stay
        assertThat(logs).hasSize(ContainerContexts.MAX_CONTEXT_BYTES / ContainerContexts.MAX_LINE_BYTES);
        assertThat(logs.get(logs.size() - 1).path("@timestamp").asText()).isEqualTo("t19");
        // short lines: the count is the bound, as before
        for (int i = 0; i < 30; i++) {
            contexts.lines("d", "s").line("t" + i, "stdout", ("line " + i).getBytes(StandardCharsets.UTF_8));
        }
        assertThat(contexts.snapshot("d", "s").path("logs")).hasSize(20);
        // one line longer than the bound is still kept (cut to the line cap)
        contexts.lines("d", "one").line("t", "stdout", new byte[3 * ContainerContexts.MAX_CONTEXT_BYTES]);
        assertThat(contexts.snapshot("d", "one").path("logs")).hasSize(1);

        var stats = io.dockwatch.record.Json.MAPPER.readTree("{\"cpu_percent\":12.5,\"memory\":{\"usage\":1048576},\"pids\":[1,2]}");
        contexts.stats("d", "c", stats);
        assertThat(contexts.snapshot("d", "c").path("stats")).isEqualTo(stats);
    }
}
