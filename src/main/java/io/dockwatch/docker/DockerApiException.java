package io.dockwatch.docker;

import java.io.IOException;

/** The Docker API answered with an error status, or could not be reached. */
public class DockerApiException extends IOException {
    private final int status;

    public DockerApiException(String message, int status) {
        super(message);
        this.status = status;
    }

    public DockerApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
    }

    /** HTTP status, or -1 when the daemon was not reached. */
    public int status() {
        return status;
    }

    /** The daemon did not answer at all: its outage is reported once, by its event stream. */
    public boolean isUnreachable() {
        return status == -1;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
