package io.dockwatch.record;

/** The {@code kind} of a record. */
public enum Kind {
    EVENT("event"), CONFIG("config"), DRIFT("drift"), LOG("log"), STATS("stats"),
    HOST_STATS("host.stats"), HOST_LOG("host.log"), DAEMON_LOG("daemon.log"),
    /** A Docker daemon's own summary (containers, images, disk use); added beside the contract's kinds. */
    DAEMON_STATS("daemon.stats");

    private final String value;

    Kind(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
