package io.dockwatch.sink.kafka;

import io.dockwatch.settings.SettingsCheck;
import io.dockwatch.settings.Settings;
import io.dockwatch.wiring.ServiceBeans;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code kafka-sink:CLIENT_ID[?brokers=host:9092,...&topic=dockwatch-{kind}&deliveryTimeout=2m]} —
 * records to Kafka, one topic per kind, keyed by container id. CLIENT_ID names the producer to the
 * brokers. Each option may be given on the URI, for every endpoint as
 * {@code camel.component.kafka-sink.<option>}, or as its {@code dockwatch.sink.kafka.*} setting, in
 * that order, so the default route is just {@code kafka-sink:dockwatch}.
 */
@SettingsCheck.Of(KafkaSinkSettings.class)
@Component("kafka-sink")
public final class KafkaSinkComponent extends DefaultComponent {
    @Metadata(label = "advanced", autowired = true,
            description = "The collector's settings, whose dockwatch settings give the options left out (bean dockwatchSettings)")
    private Settings settings;

    /** The options every endpoint starts from. */
    @Metadata
    private KafkaSinkConfiguration configuration = new KafkaSinkConfiguration();

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        settings = ServiceBeans.resolve(getCamelContext(), settings, Settings.class);
    }

    public Settings getSettings() {
        return settings;
    }

    public void setSettings(Settings settings) {
        this.settings = settings;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        return new KafkaSinkEndpoint(uri, this, remaining.isBlank() ? "dockwatch" : remaining, configuration.copy(), settings);
    }

    public KafkaSinkConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(KafkaSinkConfiguration configuration) {
        this.configuration = configuration;
    }
}
