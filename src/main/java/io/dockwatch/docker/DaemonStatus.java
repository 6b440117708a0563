package io.dockwatch.docker;

import java.time.Instant;

/**
 * What the health endpoint and the status page show per daemon: reachable or not, since when,
 * and why not. Immutable; the daemon swaps in a new one on every change.
 *
 * @param endpoint    the endpoint as configured ({@code host.endpoint})
 * @param hostName    the daemon's {@code Name}, or the endpoint while it never answered
 * @param daemonId    the daemon's {@code ID}, or null while it never answered
 * @param connected   its event stream is open
 * @param since       when {@code connected} last changed (the collector's start for a daemon never reached)
 * @param lastError   the last failure, kept after a recovery so an operator sees what happened; null if none
 * @param silentSince when its liveness probe first got no answer at all (a dead link, not a refusal);
 *                    null while it answers. Health is DOWN at once meanwhile: unlike a daemon
 *                    restarting, a silent link does not heal by itself within seconds
 */
public record DaemonStatus(String endpoint, String hostName, String daemonId, boolean connected, Instant since,
        String lastError, Instant silentSince) {

    static DaemonStatus initial(DockerDaemon d) {
        return new DaemonStatus(d.endpointText(), d.hostName(), null, false, Instant.now(), null, null);
    }

    /** Its event stream is open: the link works, whatever the probe said last. */
    DaemonStatus connectedNow(DockerDaemon d) {
        return new DaemonStatus(endpoint, d.hostName(), d.daemonId(), true, Instant.now(), lastError, null);
    }

    DaemonStatus disconnectedNow(DockerDaemon d, String error) {
        Instant when = connected ? Instant.now() : since;
        return new DaemonStatus(endpoint, d.hostName(), d.daemonId(), false, when, error, silentSince);
    }

    /** The liveness probe got no answer: disconnected, and silent since its first unanswered probe. */
    DaemonStatus silentNow(DockerDaemon d, String error) {
        Instant now = Instant.now();
        return new DaemonStatus(endpoint, d.hostName(), d.daemonId(), false, connected ? now : since, error,
                silentSince != null ? silentSince : now);
    }

    /** The liveness probe got an answer again; connected once the event stream is open again. */
    DaemonStatus answeredNow() {
        return new DaemonStatus(endpoint, hostName, daemonId, connected, since, lastError, null);
    }

    /** Whether its liveness probe gets no answer now. */
    public boolean silent() {
        return silentSince != null;
    }
}
