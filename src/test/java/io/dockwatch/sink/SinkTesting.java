package io.dockwatch.sink;

import io.dockwatch.DockwatchServices;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import io.dockwatch.settings.Settings;
import io.dockwatch.spool.RecordBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/** A sink endpoint in a real Camel context with the collector's settings, fed record batches directly. */
public final class SinkTesting implements AutoCloseable {
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final DockwatchServices services;

    public SinkTesting(Path stateDir, Map<String, String> overrides) {
        Properties p = defaults();
        p.setProperty(Settings.STATE_DIR, stateDir.toString());
        p.setProperty(Settings.OUTPUT_DIR, stateDir.resolve("out").toString());
        overrides.forEach(p::setProperty);
        services = new DockwatchServices(Settings.from(p, Map.of(), new Properties()).validate());
        camel.getRegistry().bind("dockwatchServices", services);
        camel.start();
    }

    public static Properties defaults() {
        Properties p = new Properties();
        try (InputStream in = SinkTesting.class.getClassLoader().getResourceAsStream("application.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The Camel context the sinks' endpoints are made in. */
    public DefaultCamelContext camel() {
        return camel;
    }

    /** A started producer of the endpoint, e.g. {@code http-sink:test}. */
    public Producer producer(String uri) throws Exception {
        Producer producer = camel.getEndpoint(uri).createProducer();
        producer.start();
        return producer;
    }

    /** Hands a batch to the producer as the spool consumer does; throws what the sink throws. */
    public void send(Producer producer, List<byte[]> records) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(new RecordBatch(records));
        producer.process(exchange);
        if (exchange.getException() != null) {
            throw exchange.getException();
        }
    }

    /** Container event records as the events source writes them, numbered by action. */
    public static List<byte[]> events(String host, String container, int n) {
        List<byte[]> out = new ArrayList<>();
        Instant t0 = Instant.parse("2026-11-27T10:15:30.123456789Z");
        for (int i = 0; i < n; i++) {
            Record r = Record.of(Kind.EVENT, t0.plusMillis(i))
                    .put(Fields.HOST_NAME, host)
                    .put(Fields.CONTAINER_ID, "c0ffee" + String.format("%058d", i % 3))
                    .put(Fields.CONTAINER_NAME, container)
                    .put(Fields.CONTAINER_IMAGE_NAME, "busybox:latest")
                    .put(Fields.EVENT_TYPE, "container")
                    .put(Fields.EVENT_ACTION, "action-" + i);
            out.add(r.toJsonBytes());
        }
        return out;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        camel.stop();
        services.close();
    }
}
