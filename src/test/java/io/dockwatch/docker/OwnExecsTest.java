package io.dockwatch.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector's own execs, known by ID: the create race, restarts, and the bound. */
class OwnExecsTest {
    @TempDir
    Path state;

    private static String id(int n) {
        return String.format("%064x", n);
    }

    @Test
    void anExecCreateSeenBeforeItsAnswerWaitsForItAndAUsersExecDoesNotWaitLong() throws Exception {
        OwnExecs own = new OwnExecs(null);
        OwnExecs.Creation creation = own.creating("d", "c1");
        // the events worker sees exec_create before the create's answer reached the reader
        CompletableFuture<Boolean> ours = CompletableFuture.supplyAsync(() -> own.awaitOwn("d", "c1", id(1), 5000));
        Thread.sleep(200);
        assertThat(ours).isNotDone();
        creation.created(id(1));
        creation.close();
        assertThat(ours.get(2, TimeUnit.SECONDS)).isTrue();

        // a user's exec on a container with no create of ours in flight: decided at once
        long t = System.nanoTime();
        assertThat(own.awaitOwn("d", "c1", id(2), 5000)).isFalse();
        assertThat(System.nanoTime() - t).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
        // a user's exec while one of ours is in flight: recorded once ours answered
        OwnExecs.Creation another = own.creating("d", "c1");
        CompletableFuture<Boolean> users = CompletableFuture.supplyAsync(() -> own.awaitOwn("d", "c1", id(3), 5000));
        another.created(id(4));
        another.close();
        assertThat(users.get(2, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void idsSurviveARestartUntilTheirExecDiedAndTheFileStaysSmall() throws Exception {
        Path file = state.resolve("own-execs");
        OwnExecs first = new OwnExecs(file);
        for (int i = 0; i < 1000; i++) {
            try (OwnExecs.Creation c = first.creating("d", "c")) {
                c.created(id(i));
            }
            if (i < 999) {
                first.finished(id(i));
            }
        }
        first.close();
        assertThat(Files.readAllLines(file).size()).isLessThan(200);
        Files.writeString(file, "torn-li", java.nio.file.StandardOpenOption.APPEND);

        OwnExecs second = new OwnExecs(file);
        assertThat(second.isOwn(id(999))).isTrue();
        assertThat(second.isOwn(id(5))).isFalse();
        assertThat(second.size()).isLessThan(200);
    }

    @Test
    void withoutAnEventsSourceToForgetThemAtMostTheBoundIsHeld() {
        OwnExecs own = new OwnExecs(state.resolve("own-execs"));
        for (int i = 0; i < OwnExecs.MAX_OPEN + 500; i++) {
            try (OwnExecs.Creation c = own.creating("d", "c")) {
                c.created(id(i));
            }
        }
        assertThat(own.size()).isEqualTo(OwnExecs.MAX_OPEN);
        assertThat(own.isOwn(id(OwnExecs.MAX_OPEN + 499))).isTrue();
        assertThat(own.isOwn(id(0))).isFalse();
    }
}
