package io.dockwatch.sink.syslog;

/** Syslog message formats ({@code dockwatch.sink.syslog.protocol}). */
public enum SyslogProtocol {
    RFC5424("rfc5424"), RFC3164("rfc3164");

    private final String spelling;

    SyslogProtocol(String spelling) {
        this.spelling = spelling;
    }

    public String spelling() {
        return spelling;
    }
}
