package io.dockwatch.sink.syslog;

/** How syslog messages are delimited on TCP and TLS (RFC 6587). */
public enum SyslogFraming {
    OCTET_COUNTING("octet-counting"), NEWLINE("newline");

    private final String spelling;

    SyslogFraming(String spelling) {
        this.spelling = spelling;
    }

    public String spelling() {
        return spelling;
    }
}
