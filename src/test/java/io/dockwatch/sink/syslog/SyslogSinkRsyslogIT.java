package io.dockwatch.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Json;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import io.dockwatch.settings.Settings;
import io.dockwatch.sink.SinkTesting;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Producer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The syslog sink against a real rsyslogd, checked by what rsyslog parsed and wrote. */
class SyslogSinkRsyslogIT {
    @TempDir
    Path tmp;
    private Rsyslog rsyslog;
    private SinkTesting sink;

    @BeforeEach
    void startRsyslog() throws Exception {
        rsyslog = new Rsyslog(tmp.resolve("rsyslog"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sink != null) {
            sink.close();
        }
        rsyslog.close();
    }

    private Producer producer(String url, Map<String, String> extra) throws Exception {
        Map<String, String> s = new HashMap<>(extra);
        s.put(SyslogSinkSettings.URL, url);
        sink = new SinkTesting(tmp.resolve("state"), s);
        return sink.producer("syslog-sink:test");
    }

    private static List<byte[]> mixedRecords() {
        Instant t = Instant.parse("2026-11-27T10:15:30.123456789Z");
        List<byte[]> out = new ArrayList<>();
        out.add(Record.of(Kind.EVENT, t).put(Fields.HOST_NAME, "docker-1").put(Fields.CONTAINER_ID, "4f1c2d3e")
                .put(Fields.CONTAINER_NAME, "web").put(Fields.CONTAINER_IMAGE_NAME, "nginx:1.25")
                .put(Fields.EVENT_TYPE, "container").put(Fields.EVENT_ACTION, "start").toJsonBytes());
        out.add(Record.of(Kind.LOG, t).put(Fields.HOST_NAME, "docker-1").put(Fields.CONTAINER_ID, "4f1c2d3e")
                .put(Fields.CONTAINER_NAME, "web").put(Fields.CONTAINER_IMAGE_NAME, "nginx:1.25")
                .put(Fields.MESSAGE, "GET /health 200 héllo").put(Fields.LOG_STREAM, "stdout").toJsonBytes());
        out.add(Record.of(Kind.HOST_STATS, t).put(Fields.HOST_NAME, "docker-1").put("stats.load.1", 1).toJsonBytes());
        return out;
    }

    private static void assertRfc5424(List<Rsyslog.Line> lines, List<byte[]> records) throws Exception {
        assertThat(lines).hasSize(3);
        Rsyslog.Line event = lines.get(0);
        assertThat(event.pri()).isEqualTo(16 * 8 + 6);
        assertThat(event.hostname()).isEqualTo("docker-1");
        assertThat(event.appName()).isEqualTo("web");
        assertThat(event.msgId()).isEqualTo("event");
        assertThat(event.structuredData()).isEqualTo(
                "[dockwatch@32473 container_id=\"4f1c2d3e\" container_name=\"web\" image=\"nginx:1.25\"]");
        JsonNode msg = Json.MAPPER.readTree(event.msg());
        assertThat(msg).isEqualTo(Json.MAPPER.readTree(records.get(0)));

        Rsyslog.Line log = lines.get(1);
        assertThat(log.appName()).isEqualTo("web");
        assertThat(log.msgId()).isEqualTo("log");
        assertThat(log.msg()).isEqualTo("GET /health 200 héllo");

        Rsyslog.Line host = lines.get(2);
        assertThat(host.appName()).isEqualTo("dockwatch");
        assertThat(host.msgId()).isEqualTo("host.stats");
        assertThat(host.structuredData()).isEqualTo("-");
        assertThat(Json.MAPPER.readTree(host.msg()).path("kind").asText()).isEqualTo("host.stats");
    }

    @Test
    void rfc5424OverUdp() throws Exception {
        Producer p = producer("udp://127.0.0.1:" + rsyslog.udpPort, Map.of());
        List<byte[]> records = mixedRecords();
        sink.send(p, records);
        assertRfc5424(rsyslog.awaitLines(3), records);
    }

    @Test
    void rfc5424OverTcpWithOctetCounting() throws Exception {
        Producer p = producer("tcp://127.0.0.1:" + rsyslog.tcpPort, Map.of());
        List<byte[]> records = mixedRecords();
        sink.send(p, records);
        assertRfc5424(rsyslog.awaitLines(3), records);
    }

    @Test
    void rfc5424OverTlsTrustingTheReceiversCa() throws Exception {
        Producer p = producer("tls://127.0.0.1:" + rsyslog.tlsPort, Map.of(SyslogSinkSettings.TLS_CA, rsyslog.ca().toString()));
        List<byte[]> records = mixedRecords();
        sink.send(p, records);
        assertRfc5424(rsyslog.awaitLines(3), records);
    }

    @Test
    void tlsToAReceiverWhoseCertificateIsNotTrustedFailsAndSendsNothing() throws Exception {
        Producer p = producer("tls://127.0.0.1:" + rsyslog.tlsPort, Map.of());
        // refused at the handshake, whether it surfaces on connect or on the first write
        assertThatThrownBy(() -> sink.send(p, mixedRecords()))
                .satisfiesAnyOf(e -> assertThat(e).isInstanceOf(javax.net.ssl.SSLHandshakeException.class),
                        e -> assertThat(e).hasMessageContaining("unable to find valid certification path"));
        Thread.sleep(500);
        assertThat(rsyslog.lines()).isEmpty();
    }

    @Test
    void rfc3164WithNewlineFramingOverTcp() throws Exception {
        Producer p = producer("tcp://127.0.0.1:" + rsyslog.tcpPort, Map.of(SyslogSinkSettings.PROTOCOL, "rfc3164",
                SyslogSinkSettings.FRAMING, "newline", SyslogSinkSettings.FACILITY, "daemon"));
        sink.send(p, mixedRecords());
        List<Rsyslog.Line> lines = rsyslog.awaitLines(3);
        assertThat(lines).extracting(Rsyslog.Line::pri).containsExactly(30, 30, 30);
        assertThat(lines).extracting(Rsyslog.Line::hostname).containsOnly("docker-1");
        assertThat(lines).extracting(Rsyslog.Line::appName).containsExactly("web", "web", "dockwatch");
        assertThat(lines.get(1).msg().trim()).isEqualTo("GET /health 200 héllo");
    }

    @Test
    void aRestartedReceiverGetsTheNextBatchWhole() throws Exception {
        Producer p = producer("tcp://127.0.0.1:" + rsyslog.tcpPort, Map.of());
        sink.send(p, SinkTesting.events("docker-1", "web", 5));
        rsyslog.awaitLines(5);
        rsyslog.stop();
        // down: the send fails, so the spool keeps the batch
        assertThatThrownBy(() -> sink.send(p, SinkTesting.events("docker-1", "web", 5)))
                .isInstanceOf(java.io.IOException.class);
        rsyslog.start();
        List<byte[]> next = SinkTesting.events("docker-1", "db", 7);
        sink.send(p, next);
        List<Rsyslog.Line> lines = rsyslog.awaitLines(12);
        Thread.sleep(500);
        assertThat(rsyslog.lines()).hasSize(12);
        assertThat(lines.subList(5, 12)).extracting(Rsyslog.Line::appName).containsOnly("db");
    }

    @Test
    void aReceiverRestartBetweenBatchesLosesNothing() throws Exception {
        Producer p = producer("tcp://127.0.0.1:" + rsyslog.tcpPort, Map.of());
        sink.send(p, SinkTesting.events("docker-1", "web", 5));
        rsyslog.awaitLines(5);
        rsyslog.stop();
        rsyslog.start();
        // the old connection is dead; the sink must notice before writing, not lose this batch into it
        sink.send(p, SinkTesting.events("docker-1", "db", 7));
        rsyslog.awaitLines(12);
        Thread.sleep(500);
        assertThat(rsyslog.lines()).hasSize(12);
    }
}
