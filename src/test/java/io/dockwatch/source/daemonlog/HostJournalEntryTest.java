package io.dockwatch.source.daemonlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dockwatch.record.Json;
import io.dockwatch.record.Record;
import org.junit.jupiter.api.Test;

/** Entries as {@code journalctl -u docker.service -o json} prints them. */
class HostJournalEntryTest {
    private static final String ENTRY = "{\"__CURSOR\":\"s=6f1c;i=2a5;b=9e0a;m=1d2c;t=5f0e;x=c3b1\","
            + "\"__REALTIME_TIMESTAMP\":\"1795748400123456\",\"_SYSTEMD_UNIT\":\"docker.service\",\"PRIORITY\":\"6\","
            + "\"MESSAGE\":\"time=\\\"2026-11-27T03:00:00Z\\\" level=info msg=\\\"API listen on /run/docker.sock\\\"\"}";

    @Test
    void entryBecomesADaemonLogRecordWithJournalsTimeAndItsCursor() throws Exception {
        var entry = Json.MAPPER.readTree(ENTRY);
        Record r = JournalEntries.toRecord(entry, JournaldConsumer.UNIT, "node-1");
        assertThat(r.kind()).isEqualTo("daemon.log");
        assertThat(r.get("@timestamp").asText()).isEqualTo("2026-11-27T03:00:00.123456Z");
        assertThat(r.get("message").asText()).isEqualTo("time=\"2026-11-27T03:00:00Z\" level=info msg=\"API listen on /run/docker.sock\"");
        assertThat(r.get("log.journald.unit").asText()).isEqualTo("docker.service");
        assertThat(r.get("host.name").asText()).isEqualTo("node-1");
        assertThat(JournalEntries.cursor(entry)).isEqualTo("s=6f1c;i=2a5;b=9e0a;m=1d2c;t=5f0e;x=c3b1");
    }

    @Test
    void aMessageThatIsNotUtf8ComesAsBytesAndIsDecoded() throws Exception {
        var entry = Json.MAPPER.readTree("{\"MESSAGE\":[104,105,255]}");
        assertThat(JournalEntries.message(entry.path("MESSAGE"))).isEqualTo("hi\uFFFD");
    }
}
