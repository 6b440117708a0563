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
}
