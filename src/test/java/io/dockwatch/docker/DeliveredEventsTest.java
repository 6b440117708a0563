package io.dockwatch.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveredEventsTest {
    @Test
    void anEventIsDeliveredOnceAndSeveralCanShareANanosecond() {
        DeliveredEvents d = new DeliveredEvents(8);
        assertThat(d.add(100, "container|start|a")).isTrue();
        assertThat(d.add(100, "container|start|b")).as("same nanosecond, another identity").isTrue();
        assertThat(d.add(100, "container|start|a")).as("the same event again").isFalse();
        assertThat(d.add(90, "container|die|c")).as("an older event never seen (re-read from the ring)").isTrue();
        assertThat(d.add(90, "container|die|c")).isFalse();
    }

    @Test
    void whatIsOlderThanTheMemoryCountsAsDelivered() {
        DeliveredEvents d = new DeliveredEvents(3);
        d.add(10, "a");
        d.add(20, "b");
        d.add(30, "c");
        assertThat(d.add(40, "d")).isTrue(); // forgets (10, a)
        assertThat(d.add(10, "a")).as("forgotten: cannot tell, so never twice").isFalse();
        assertThat(d.add(5, "z")).isFalse();
        assertThat(d.add(20, "b")).as("still remembered").isFalse();
        assertThat(d.add(35, "e")).as("newer than anything forgotten").isTrue();
    }
}
