package io.dockwatch.record;

/**
 * Fields added to a record from elsewhere (a container's metadata), in the two forms a record
 * is written in: into its tree, or as the raw middle of a compact log line. Declared here so a
 * record knows only this, not where the fields come from (the enricher's metadata cache).
 */
public interface Enrichment {
    /** Puts the fields into the record's tree (those it does not already carry). */
    void applyToTree(Record r);

    /** The part of a compact log record between its timestamp and its message, UTF-8 with a leading comma. */
    byte[] logLineMiddleUtf8(String hostName, String endpoint, String daemonId);
}
