package io.dockwatch.sink.syslog;

import java.util.function.Supplier;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

public final class SyslogSinkEndpoint extends DefaultEndpoint {
    private final String name;
    private final SyslogMessages messages;
    private final Supplier<SyslogTransport> transport;
    private final String target;

    SyslogSinkEndpoint(String uri, SyslogSinkComponent component, String name, SyslogMessages messages,
            Supplier<SyslogTransport> transport, String target) {
        super(uri, component);
        this.name = name;
        this.messages = messages;
        this.transport = transport;
        this.target = target;
    }

    @Override
    public Producer createProducer() {
        if (transport == null) {
            // Camel starts the producers of switched-off routes too; this one fails only if given records
            return new org.apache.camel.support.DefaultProducer(this) {
                @Override
                public void process(org.apache.camel.Exchange exchange) {
                    throw new IllegalStateException("The syslog sink needs dockwatch.sink.syslog.url (or ?url= on syslog-sink:)");
                }
            };
        }
        return new SyslogSinkProducer(this, name, messages, transport.get(), target);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("syslog-sink is a sink: use it in to:, not from:");
    }
}
