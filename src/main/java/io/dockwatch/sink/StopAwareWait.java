package io.dockwatch.sink;

import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Waiting inside a sink (backoff before a retry) that gives way to a stop: the collector must exit
 * within 10 s of SIGTERM (CONTRACT.md), and an unfinished batch simply stays in the spool.
 */
public final class StopAwareWait {
    private static final long POLL_MS = 100;

    private StopAwareWait() {
    }

    /** True once the Camel context or the sink's own producer is stopping. */
    public static boolean stopping(CamelContext camel, ServiceSupport producer) {
        return camel.isStopping() || camel.isStopped() || producer.isStoppingOrStopped();
    }

    /** Sleeps {@code ms}, checking for a stop every 100 ms; a stop ends it with {@code whyOnStop}. */
    public static void pause(long ms, CamelContext camel, ServiceSupport producer, String whyOnStop)
            throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (true) {
            if (stopping(camel, producer)) {
                throw new InterruptedException(whyOnStop);
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, POLL_MS));
        }
    }
}
