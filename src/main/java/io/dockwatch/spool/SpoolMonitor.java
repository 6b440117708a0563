package io.dockwatch.spool;

/**
 * What the spool's producer and sink consumers report, to whoever watches the collector (its
 * metrics, health and status page). Declared here, implemented above: the spool does not know
 * who watches it. Found in the Camel registry by this type.
 */
public interface SpoolMonitor {
    /** JSON bytes a source's records took in the spool, by source (route id). */
    void bytesIn(String source, long bytes);

    /** The report of one sink that drains {@code spool} with {@code reader}; the same one for the same name. */
    SinkReport sink(String name, Spool spool, Reader reader);

    /** What one sink's spool loop says about its batches. */
    interface SinkReport {
        /**
         * Exchange property carrying a sink route's report to its producer, for sinks that retry
         * inside a batch (the HTTP sink), so health sees an outage the spool loop never does.
         */
        String PROPERTY = "DockwatchSinkStats";

        /** A batch of {@code records} was acknowledged by the sink (0 when all were filtered out). */
        void delivered(int records);

        /** A batch of {@code records} failed; it stays in the spool and is tried again. */
        void failed(int records, Exception e);

        /** {@code records} are sent again after a failed attempt. */
        void retrying(int records);

        /** The sink has read everything the spool holds. */
        void caughtUp();
    }
}
