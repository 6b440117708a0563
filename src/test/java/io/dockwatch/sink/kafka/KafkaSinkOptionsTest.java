package io.dockwatch.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.dockwatch.settings.Settings;
import io.dockwatch.sink.SinkTesting;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Component;
import org.apache.camel.support.PropertyBindingSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka producer properties from the settings, camel.component.kafka-sink.additionalProperties and the URI, in that order. */
class KafkaSinkOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void producerPropertiesComeFromSettingsComponentAndUri() throws Exception {
        try (SinkTesting t = new SinkTesting(tmp, Map.of(KafkaSinkSettings.BROKERS, "127.0.0.1:9",
                KafkaSinkSettings.CLIENT_PREFIX + "compression.type", "gzip",
                KafkaSinkSettings.CLIENT_PREFIX + "acks", "all"))) {
            Component component = t.camel().getComponent("kafka-sink");
            Map<String, Object> options = new HashMap<>(Map.of("additionalProperties[compression.type]", "zstd",
                    "topic", "fleet-{kind}"));
            PropertyBindingSupport.build().withCamelContext(t.camel()).withTarget(component)
                    .withConfigurer(component.getComponentPropertyConfigurer()).withProperties(options)
                    .withRemoveParameters(true).bind();
            assertThat(options).isEmpty();

            KafkaSinkEndpoint e = t.camel().getEndpoint("kafka-sink:me?additionalProperties.linger.ms=5",
                    KafkaSinkEndpoint.class);
            assertThat(e.clientProperties()).containsEntry("acks", "all").containsEntry("compression.type", "zstd")
                    .containsEntry("linger.ms", "5").containsEntry("client.id", "me");
            assertThat(e.getConfiguration().getTopic()).isEqualTo("fleet-{kind}");
        }
    }
}
