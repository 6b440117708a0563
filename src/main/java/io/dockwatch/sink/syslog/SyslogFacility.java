package io.dockwatch.sink.syslog;

import java.util.Locale;

/** Syslog facilities by their usual names; the ordinal is the facility's code (RFC 5424, 6.2.1). */
public enum SyslogFacility {
    KERN, USER, MAIL, DAEMON, AUTH, SYSLOG, LPR, NEWS, UUCP, CRON, AUTHPRIV, FTP, NTP, SECURITY, CONSOLE, SOLARIS_CRON,
    LOCAL0, LOCAL1, LOCAL2, LOCAL3, LOCAL4, LOCAL5, LOCAL6, LOCAL7;

    public String spelling() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public int code() {
        return ordinal();
    }
}
