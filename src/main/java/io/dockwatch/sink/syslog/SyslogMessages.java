package io.dockwatch.sink.syslog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Json;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import io.dockwatch.sink.syslog.SyslogFacility;
import io.dockwatch.sink.syslog.SyslogProtocol;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * Records as syslog messages.
 *
 * <p>RFC 5424: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME - KIND [dockwatch@32473 container_id=".."
 * container_name=".." image=".."] MSG}, where HOSTNAME is the record's {@code host.name}, APP-NAME
 * the container's name (else {@code dockwatch}), MSGID the record's kind, and MSG the log line for
 * log kinds, else the whole JSON record. 32473 is the enterprise number RFC 5612 sets aside for
 * documentation; an SD-ID without one would have to be registered with IANA.
 *
 * <p>RFC 3164: {@code <PRI>Mmm dd hh:mm:ss HOSTNAME APP-NAME: MSG}, in UTC, without structured data.
 */
final class SyslogMessages {
    static final String SD_ID = "dockwatch@32473";
    static final String SD_CONTAINER_ID = "container_id";
    static final String SD_CONTAINER_NAME = "container_name";
    static final String SD_IMAGE = "image";
    static final String DEFAULT_APP_NAME = "dockwatch";
    static final String NIL = "-";

    /** RFC 5424, 6.2.1 severities used here. */
    static final int SEVERITY_WARNING = 4;
    static final int SEVERITY_INFO = 6;

    private static final Set<String> LOG_KINDS = Set.of(Kind.LOG.value(), Kind.HOST_LOG.value(), Kind.DAEMON_LOG.value());
    /** RFC 5424 allows at most 6 fraction digits; Docker's times carry 9. */
    private static final DateTimeFormatter RFC5424_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC3164_TIME =
            DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final SyslogProtocol protocol;
    private final SyslogFacility facility;
    private final int maxBytes;

    SyslogMessages(SyslogProtocol protocol, SyslogFacility facility, int maxBytes) {
        this.protocol = protocol;
        this.facility = facility;
        this.maxBytes = maxBytes;
    }

    /** One message, without framing, cut to the size limit on a character boundary. */
    byte[] format(byte[] recordJson) {
        ObjectNode n = Json.readObject(recordJson);
        Record r = Record.wrap(n);
        String kind = r.text(Fields.KIND);
        int pri = facility.code() * 8 + severity(r, kind);
        String host = printable(r.text(Fields.HOST_NAME), 255);
        String container = r.text(Fields.CONTAINER_NAME);
        String msg = LOG_KINDS.contains(kind) && r.has(Fields.MESSAGE)
                ? r.text(Fields.MESSAGE) : new String(recordJson, StandardCharsets.UTF_8);
        Instant when = timestamp(r);
        StringBuilder sb = new StringBuilder(msg.length() + 200).append('<').append(pri).append('>');
        if (protocol == SyslogProtocol.RFC3164) {
            sb.append(RFC3164_TIME.format(when)).append(' ').append(host.isEmpty() ? "localhost" : host).append(' ')
                    .append(printable(container.isEmpty() ? DEFAULT_APP_NAME : container, 32)).append(": ");
        } else {
            sb.append("1 ").append(RFC5424_TIME.format(when)).append(' ').append(orNil(host)).append(' ')
                    .append(orNil(printable(container.isEmpty() ? DEFAULT_APP_NAME : container, 48))).append(' ')
                    .append(NIL).append(' ').append(orNil(printable(kind, 32))).append(' ');
            structuredData(r, sb);
            sb.append(' ');
        }
        sb.append(msg);
        return cut(sb.toString().getBytes(StandardCharsets.UTF_8), maxBytes);
    }

    private static void structuredData(Record r, StringBuilder sb) {
        String id = r.text(Fields.CONTAINER_ID);
        if (id.isEmpty()) {
            sb.append(NIL);
            return;
        }
        sb.append('[').append(SD_ID);
        param(sb, SD_CONTAINER_ID, id);
        param(sb, SD_CONTAINER_NAME, r.text(Fields.CONTAINER_NAME));
        param(sb, SD_IMAGE, r.text(Fields.CONTAINER_IMAGE_NAME));
        sb.append(']');
    }

    private static void param(StringBuilder sb, String name, String value) {
        if (value.isEmpty()) {
            return;
        }
        sb.append(' ').append(name).append("=\"");
        // RFC 5424, 6.3.3: '"', '\' and ']' are escaped inside PARAM-VALUE
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }

    /** Warnings for what usually needs a look (an OOM kill, a non-zero exit); info for the rest. */
    static int severity(Record r, String kind) {
        if (Kind.EVENT.value().equals(kind)) {
            String action = r.text(Fields.EVENT_ACTION);
            JsonNode exit = r.get(Fields.EVENT_EXIT_CODE);
            if ("oom".equals(action) || ("die".equals(action) && exit.isNumber() && exit.asInt() != 0)) {
                return SEVERITY_WARNING;
            }
        }
        return SEVERITY_INFO;
    }

    /** Header fields are PRINTUSASCII without spaces (RFC 5424, 6): anything else becomes '_'. */
    static String printable(String s, int max) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            sb.append(c >= 33 && c <= 126 ? c : '_');
        }
        return sb.toString();
    }

    private static String orNil(String s) {
        return s.isEmpty() ? NIL : s;
    }

    /** Cuts to at most max bytes without splitting a UTF-8 sequence. */
    static byte[] cut(byte[] b, int max) {
        if (b.length <= max) {
            return b;
        }
        int end = max;
        while (end > 0 && (b[end] & 0xC0) == 0x80) {
            end--;
        }
        return java.util.Arrays.copyOf(b, end);
    }

    private static Instant timestamp(Record r) {
        try {
            return Instant.parse(r.text(Fields.TIMESTAMP));
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }
}
