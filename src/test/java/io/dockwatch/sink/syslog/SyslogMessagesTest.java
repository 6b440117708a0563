package io.dockwatch.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dockwatch.record.Fields;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import io.dockwatch.sink.syslog.SyslogFacility;
import io.dockwatch.sink.syslog.SyslogProtocol;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SyslogMessagesTest {
    private static final Instant WHEN = Instant.parse("2026-11-27T10:15:30.123456789Z");
    private final SyslogMessages rfc5424 = new SyslogMessages(SyslogProtocol.RFC5424, SyslogFacility.LOCAL0, 8192);

    private static Record event(String action) {
        return Record.of(Kind.EVENT, WHEN).put(Fields.HOST_NAME, "docker-1").put(Fields.CONTAINER_ID, "abc123")
                .put(Fields.CONTAINER_NAME, "web").put(Fields.CONTAINER_IMAGE_NAME, "nginx:1.25")
                .put(Fields.EVENT_TYPE, "container").put(Fields.EVENT_ACTION, action);
    }

    private String format(SyslogMessages m, Record r) {
        return new String(m.format(r.toJsonBytes()), StandardCharsets.UTF_8);
    }

    @Test
    void rfc5424CarriesHostContainerKindStructuredDataAndTheJsonRecord() {
        Record r = event("start");
        assertThat(format(rfc5424, r)).isEqualTo("<134>1 2026-11-27T10:15:30.123456Z docker-1 web - event "
                + "[dockwatch@32473 container_id=\"abc123\" container_name=\"web\" image=\"nginx:1.25\"] " + r);
    }

    @Test
    void logKindsSendTheLineItselfAsTheMessage() {
        Record r = Record.of(Kind.LOG, WHEN).put(Fields.HOST_NAME, "docker-1").put(Fields.CONTAINER_ID, "abc123")
                .put(Fields.CONTAINER_NAME, "web").put(Fields.MESSAGE, "GET / 200 \"ok\" ✓");
        assertThat(format(rfc5424, r)).endsWith("] GET / 200 \"ok\" ✓");
    }

    @Test
    void recordsWithoutAContainerComeFromDockwatchWithoutStructuredData() {
        Record r = Record.of(Kind.HOST_STATS, WHEN).put(Fields.HOST_NAME, "docker-1");
        assertThat(format(rfc5424, r)).startsWith("<134>1 2026-11-27T10:15:30.123456Z docker-1 dockwatch - host.stats - {");
    }

    @Test
    void oomAndFailedExitsAreWarnings() {
        assertThat(format(rfc5424, event("oom"))).startsWith("<132>");
        assertThat(format(rfc5424, event("die").put(Fields.EVENT_EXIT_CODE, 137))).startsWith("<132>");
        assertThat(format(rfc5424, event("die").put(Fields.EVENT_EXIT_CODE, 0))).startsWith("<134>");
    }

    @Test
    void structuredDataValuesEscapeQuoteBackslashAndBracket() {
        Record r = event("start").put(Fields.CONTAINER_IMAGE_NAME, "we\"ird]\\image");
        assertThat(format(rfc5424, r)).contains("image=\"we\\\"ird\\]\\\\image\"]");
    }

    @Test
    void headerFieldsArePrintableAsciiAndNoLongerThanAllowed() {
        Record r = event("start").put(Fields.HOST_NAME, "host with space").put(Fields.CONTAINER_NAME, "x".repeat(60));
        String[] parts = format(rfc5424, r).split(" ", 7);
        assertThat(parts[2]).isEqualTo("host_with_space");
        assertThat(parts[3]).hasSize(48);
    }

    @Test
    void rfc3164HasTheBsdTimestampHostAndTag() {
        SyslogMessages bsd = new SyslogMessages(SyslogProtocol.RFC3164, SyslogFacility.DAEMON, 8192);
        Record r = Record.of(Kind.LOG, Instant.parse("2026-11-07T01:02:03Z")).put(Fields.HOST_NAME, "docker-1")
                .put(Fields.CONTAINER_NAME, "web").put(Fields.MESSAGE, "hello");
        assertThat(format(bsd, r)).isEqualTo("<30>Nov  7 01:02:03 docker-1 web: hello");
    }

    @Test
    void longMessagesAreCutWithoutSplittingACharacter() {
        SyslogMessages small = new SyslogMessages(SyslogProtocol.RFC5424, SyslogFacility.LOCAL0, 480);
        Record r = Record.of(Kind.LOG, WHEN).put(Fields.HOST_NAME, "h").put(Fields.MESSAGE, "é".repeat(400));
        byte[] m = small.format(r.toJsonBytes());
        assertThat(m.length).isBetween(479, 480);
        assertThat(new String(m, StandardCharsets.UTF_8)).doesNotContain("\uFFFD");
    }
}
