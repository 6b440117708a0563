package io.dockwatch.observe;

import io.dockwatch.spool.Reader;
import io.dockwatch.spool.Spool;
import io.dockwatch.spool.SpoolMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one sink's spool loop reports: records delivered, failed and retried, and whether it is
 * failing now and since when. Also writes the sink's two feedback lines (starts failing,
 * recovers), so every sink says them the same way.
 */
public final class SinkStats implements SpoolMonitor.SinkReport {
    private static final Logger LOG = LoggerFactory.getLogger(SinkStats.class);
    /**
     * Exchange property carrying a sink route's stats to its producer, for sinks that retry inside
     * a batch (the HTTP sink): they report {@link #trouble} and {@link #fine} so health and the
     * status page see an outage the spool loop never does.
     */
    public static final String PROPERTY = SpoolMonitor.SinkReport.PROPERTY;

    private final String name;
    private final Spool spool;
    private final Reader reader;
    private final Observe observe;
    private volatile long failingSinceMillis;
    private volatile String lastError = "";
    private volatile long lastDeliveryMillis;
    private volatile long caughtUpAtMillis = System.currentTimeMillis();
    private volatile long retriesInStreak;

    SinkStats(String name, Spool spool, Reader reader, Observe observe) {
        this.name = name;
        this.spool = spool;
        this.reader = reader;
        this.observe = observe;
        // every sink's series exist from its start, at 0: "no failures" reads as 0, not as no data
        observe.sinkRecordsOut.labels(name);
        observe.sinkRecordsFailed.labels(name);
        observe.sinkRecordsRetried.labels(name);
    }

    public String name() {
        return name;
    }

    /** A batch of {@code records} was acknowledged by the sink (0 when all were filtered out). */
    @Override
    public void delivered(int records) {
        observe.sinkRecordsOut.labels(name).add(records);
        lastDeliveryMillis = System.currentTimeMillis();
        long since = failingSinceMillis;
        if (since != 0) {
            failingSinceMillis = 0;
            LOG.info("Sink {} recovered after {} s ({} retries)", name, (lastDeliveryMillis - since + 999) / 1000,
                    retriesInStreak);
            retriesInStreak = 0;
        }
    }

    /** A batch of {@code records} failed; it stays in the spool and is tried again. */
    @Override
    public void failed(int records, Exception e) {
        observe.sinkRecordsFailed.labels(name).add(records);
        lastError = e.toString(); // with the exception's type: "FileAlreadyExistsException: /out" says more than "/out"
        if (failingSinceMillis == 0) {
            failingSinceMillis = System.currentTimeMillis();
            LOG.warn("Sink {} failing: {}; retrying with backoff, records stay in the spool", name, e.toString());
        }
    }

    /** The sink keeps retrying inside a batch ({@code what} went wrong): failing, once per streak. */
    public void trouble(String what) {
        lastError = what;
        if (failingSinceMillis == 0) {
            failingSinceMillis = System.currentTimeMillis();
            LOG.warn("Sink {} failing: {}; retrying with backoff, records stay in the spool", name, what);
        }
    }

    /** The sink's destination takes records again (after {@link #trouble}). */
    public void fine() {
        long since = failingSinceMillis;
        if (since != 0) {
            failingSinceMillis = 0;
            LOG.info("Sink {} recovered after {} s", name, (System.currentTimeMillis() - since + 999) / 1000);
        }
    }

    /** The batch that failed before is being sent again. */
    @Override
    public void retrying(int records) {
        observe.sinkRecordsRetried.labels(name).add(records);
        retriesInStreak++;
    }

    /** The sink has sent everything the spool held. */
    @Override
    public void caughtUp() {
        caughtUpAtMillis = System.currentTimeMillis();
    }

    public boolean isFailing() {
        return failingSinceMillis != 0;
    }

    /** Milliseconds since it started failing, 0 when it is not. */
    public long failingForMillis() {
        long since = failingSinceMillis;
        return since == 0 ? 0 : System.currentTimeMillis() - since;
    }

    public String lastError() {
        return lastError;
    }

    public long lastDeliveryMillis() {
        return lastDeliveryMillis;
    }

    /** Bytes in the spool this sink has not delivered yet. */
    public long lagBytes() {
        return spool.lagBytes(reader);
    }

    /**
     * Upper bound on the age of the oldest record this sink has not delivered: the time since it
     * last had nothing to send (every record written since then may still be waiting). Exact for a
     * stalled sink, the case that matters; 0 when nothing is waiting.
     */
    public double oldestAgeSeconds() {
        if (lagBytes() <= 0) {
            return 0;
        }
        return (System.currentTimeMillis() - caughtUpAtMillis) / 1000.0;
    }

    Spool spool() {
        return spool;
    }
}
