package io.dockwatch.source.logs.file;

/**
 * Where a read resumed from a checkpoint (timestamp, entries in a row carrying it) starts
 * delivering: the logs API's {@code since=ts} is inclusive, and the files hold everything, so
 * both paths skip the entries stamped earlier and the first {@code count} stamped {@code ts}.
 * Docker's timestamps in their fixed form (nine fraction digits, UTC) compare as text.
 */
public final class ResumePoint {
    private String ts;
    private int remaining;

    /** Nothing to skip. */
    public ResumePoint() {
    }

    public void resumeAt(String ts, int count) {
        this.ts = ts;
        this.remaining = count;
    }

    /** Whether the entry stamped {@code entryTs} (null: unknown) was delivered before the checkpoint. */
    public boolean alreadyDelivered(String entryTs) {
        if (ts == null || entryTs == null) {
            return false;
        }
        int cmp = entryTs.compareTo(ts);
        if (cmp < 0) {
            return true;
        }
        if (cmp == 0 && remaining > 0) {
            remaining--;
            return true;
        }
        ts = null; // past the checkpoint: from here on everything is new
        return false;
    }
}
