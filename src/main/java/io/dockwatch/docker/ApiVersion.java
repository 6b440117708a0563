package io.dockwatch.docker;

/**
 * Docker API versions as {@code major.minor}, compared numerically ({@code 1.9 < 1.41}).
 *
 * <p>Negotiation follows the Docker CLI: use the daemon's version, capped at the newest this
 * collector understands. Unversioned requests are not an option: Engine 29 refuses old defaults.
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {

    /** The newest API whose responses this collector has been checked against (Engine 29). */
    public static final ApiVersion NEWEST_KNOWN = new ApiVersion(1, 52);
    /** One-shot stats and everything else used here exist from this version on (Engine 20.10). */
    public static final ApiVersion OLDEST_SUPPORTED = new ApiVersion(1, 41);

    public static ApiVersion parse(String s) {
        String[] parts = s.trim().split("\\.");
        if (parts.length != 2) {
            throw new IllegalArgumentException("Not a Docker API version: " + s);
        }
        return new ApiVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    /** The version to speak with a daemon that reports {@code daemonVersion}. */
    public static ApiVersion negotiate(ApiVersion daemonVersion) {
        return daemonVersion.compareTo(NEWEST_KNOWN) > 0 ? NEWEST_KNOWN : daemonVersion;
    }

    public boolean atLeast(ApiVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
