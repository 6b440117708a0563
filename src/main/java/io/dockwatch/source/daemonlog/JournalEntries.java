package io.dockwatch.source.daemonlog;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Entries of {@code journalctl -o json} as {@code daemon.log} records. */
public final class JournalEntries {
    static final String CURSOR = "__CURSOR";
    private static final String MESSAGE = "MESSAGE";
    private static final String REALTIME_MICROS = "__REALTIME_TIMESTAMP";

    private JournalEntries() {
    }

    public static String cursor(JsonNode entry) {
        return entry.path(CURSOR).asText(null);
    }

    public static Record toRecord(JsonNode entry, String unit, String hostName) {
        long micros = entry.path(REALTIME_MICROS).asLong(0);
        Instant when = micros > 0 ? Instant.ofEpochSecond(micros / 1_000_000L, (micros % 1_000_000L) * 1000L) : Instant.now();
        Record r = Record.of(Kind.DAEMON_LOG, when);
        r.put(Fields.HOST_NAME, hostName);
        r.put(Fields.MESSAGE, message(entry.path(MESSAGE)));
        r.put(Fields.LOG_JOURNALD_UNIT, unit);
        return r;
    }

    /** journald sends a message that is not valid UTF-8 as an array of byte values. */
    static String message(JsonNode m) {
        if (m.isArray()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream(m.size());
            m.forEach(v -> b.write(v.asInt()));
            return new String(b.toByteArray(), StandardCharsets.UTF_8);
        }
        return m.isNull() || m.isMissingNode() ? "" : m.asText();
    }
}
