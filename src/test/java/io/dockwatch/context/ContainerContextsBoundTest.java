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
        for (int i = 0; i < 2000; i++) {
            String id = "c" + i;
            contexts.config("d", id, "hash", false);
            contexts.lines("d", id).line("t", "stdout", "hello".getBytes(StandardCharsets.UTF_8));
            contexts.destroyed("d", id);
            contexts.logsDone("d", id); // a follower ending after the destroy
        }
        assertThat(contexts.size()).isEqualTo(ContainerContexts.MAX_DESTROYED_KEPT);
        // the latest destroyed still explains its die
        assertThat(contexts.snapshot("d", "c1999").path("logs")).hasSize(1);
        // a late stats sample of a recently destroyed container lands in its kept context
        contexts.stats("d", "c1999", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        assertThat(contexts.size()).isEqualTo(ContainerContexts.MAX_DESTROYED_KEPT);
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
        for (int i = 0; i < ContainerContexts.MAX_DESTROYED_KEPT + 1; i++) {
            contexts.config("d", "x" + i, "hash", false);
            contexts.destroyed("d", "x" + i);
        }
        assertThat(contexts.snapshot("d", "c0")).isNotNull();
        assertThat(contexts.snapshot("d", "c1")).isNotNull();
        assertThat(contexts.snapshot("other", "c0")).isNotNull();
        assertThat(contexts.snapshot("d", "c5")).isNull();
    }
}
