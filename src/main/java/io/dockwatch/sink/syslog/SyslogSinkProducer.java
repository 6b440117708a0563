package io.dockwatch.sink.syslog;

import io.dockwatch.spool.RecordBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a spool batch as syslog messages. A failed send throws, so the spool keeps the batch and
 * retries it with backoff. Syslog has no acknowledgement: over TCP and TLS a batch counts as
 * delivered once written to the connection (a receiver dying mid-batch may see part of it twice
 * after the retry); over UDP once handed to the network, where a datagram may still be lost.
 */
final class SyslogSinkProducer extends DefaultProducer {
    private static final Logger LOG = LoggerFactory.getLogger(SyslogSinkProducer.class);

    private final String name;
    private final SyslogMessages messages;
    private final SyslogTransport transport;
    private final String target;
    private boolean failing;

    SyslogSinkProducer(SyslogSinkEndpoint endpoint, String name, SyslogMessages messages, SyslogTransport transport,
            String target) {
        super(endpoint);
        this.name = name;
        this.messages = messages;
        this.transport = transport;
        this.target = target;
    }

    @Override
    public synchronized void process(Exchange exchange) throws Exception {
        RecordBatch batch = exchange.getMessage().getMandatoryBody(RecordBatch.class);
        List<byte[]> out = new ArrayList<>(batch.size());
        for (byte[] record : batch.lines()) {
            out.add(messages.format(record));
        }
        try {
            transport.send(out);
        } catch (IOException e) {
            if (!failing) {
                LOG.warn("Syslog sink {}: cannot send to {}: {}", name, target, e.toString());
                failing = true;
            }
            throw e;
        }
        if (failing) {
            LOG.info("Syslog sink {}: {} takes messages again", name, target);
            failing = false;
        }
    }

    /** Not synchronized: closing the connection is what frees a send blocked on a receiver that stopped reading. */
    @Override
    protected void doStop() throws Exception {
        transport.close();
        super.doStop();
    }
}
