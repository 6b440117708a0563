package io.dockwatch.docker;

import java.time.Instant;

/**
 * What the health endpoint and the status page show per daemon: reachable or not, since when,
 * and why not. Immutable; the daemon swaps in a new one on every change.
 *
 * @param endpoint  the endpoint as configured ({@code host.endpoint})
 * @param hostName  the daemon's {@code Name}, or the endpoint while it never answered
 * @param daemonId  the daemon's {@code ID}, or null while it never answered
 * @param connected its event stream is open
 * @param since     when {@code connected} last changed (the collector's start for a daemon never reached)
 * @param lastError the last failure, kept after a recovery so an operator sees what happened; null if none
 */
public record DaemonStatus(String endpoint, String hostName, String daemonId, boolean connected, Instant since,
        String lastError) {

    static DaemonStatus initial(DockerDaemon d) {
        return new DaemonStatus(d.endpointText(), d.hostName(), null, false, Instant.now(), null);
    }

    DaemonStatus connectedNow(DockerDaemon d) {
        return new DaemonStatus(endpoint, d.hostName(), d.daemonId(), true, Instant.now(), lastError);
    }

    DaemonStatus disconnectedNow(DockerDaemon d, String error) {
        Instant when = connected ? Instant.now() : since;
        return new DaemonStatus(endpoint, d.hostName(), d.daemonId(), false, when, error);
    }
}
