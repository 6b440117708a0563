package io.dockwatch.spool;

/** What the spool does when it holds {@code dockwatch.spool.max.bytes} because a sink is behind. */
public enum SpoolOverflow {
    /** delete the oldest segment even if a slow sink has not read it (counted and logged once) */
    DROP_OLDEST("drop-oldest"),
    /** sources wait, so Docker keeps the logs until the sinks catch up */
    BLOCK("block");

    private final String spelling;

    SpoolOverflow(String spelling) {
        this.spelling = spelling;
    }

    public String spelling() {
        return spelling;
    }
}
