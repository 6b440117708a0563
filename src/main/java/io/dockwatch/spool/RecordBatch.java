package io.dockwatch.spool;

import java.util.List;

/** A batch of serialised records (one JSON object each, no newline) on its way from the spool to a sink. */
public record RecordBatch(List<byte[]> lines) {
    /** Exchange header: the sink state saved with the cursor at the last commit (a JsonNode, or absent). */
    public static final String SINK_STATE_HEADER = "DockwatchSinkState";
    /** Exchange property a sink sets to the state to save with the cursor once this batch is delivered. */
    public static final String NEW_SINK_STATE = "DockwatchNewSinkState";

    public int size() {
        return lines.size();
    }
}
