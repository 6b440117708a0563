package io.dockwatch.sink.example;

import io.dockwatch.spool.RecordBatch;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code example-sink:NAME} — a sink as a new one is added (docs/camel.md, "Adding a sink"): this
 * package and its {@code META-INF/services/org/apache/camel/component/example-sink} file (which
 * Camel's build plugin writes for a component with {@code @Component}), nothing else; its
 * {@code dockwatch.sink.example.*} keys are checked by {@link ExampleSinkSettings}, named here. It keeps the records it receives; while {@link #failNext} is above 0 it refuses batches,
 * as a receiver that is down would.
 */
@io.dockwatch.settings.SettingsCheck.Of(ExampleSinkSettings.class)
public final class ExampleSinkComponent extends DefaultComponent {
    static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    static final AtomicInteger failNext = new AtomicInteger();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new DefaultEndpoint(uri, this) {
            @Override
            public Producer createProducer() {
                return new DefaultProducer(this) {
                    @Override
                    public void process(Exchange exchange) {
                        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                            throw new IllegalStateException("example receiver down");
                        }
                        for (byte[] line : exchange.getMessage().getBody(RecordBatch.class).lines()) {
                            RECEIVED.add(new String(line, StandardCharsets.UTF_8));
                        }
                    }
                };
            }

            @Override
            public Consumer createConsumer(Processor processor) {
                throw new UnsupportedOperationException("a sink");
            }
        };
    }
}
