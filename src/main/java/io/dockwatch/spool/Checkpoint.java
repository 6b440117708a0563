package io.dockwatch.spool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A source's position after a record, e.g. {@code events/unix_var_run_docker.sock} at
 * {@code {"time_nano":..., "seen":[...]}}. It travels with its record as an exchange header and is
 * written into the spool in the same write as the record, so records and positions are durable
 * together: after a SIGKILL the source resumes exactly after the last durable record.
 */
public record Checkpoint(String key, JsonNode position) {
    /** Exchange header carrying a {@link Checkpoint} (or a list of them) from a source to the spool. */
    public static final String HEADER = "DockwatchCheckpoint";
}
