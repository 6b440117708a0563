package io.dockwatch.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dockwatch.DockwatchServices;
import io.dockwatch.settings.Settings;
import io.dockwatch.spool.RecordBatch;
import io.dockwatch.testing.KafkaBroker;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The kafka-sink component on its own against a real KRaft broker: topics, keys, headers, limits. */
class KafkaSinkProducerIT {
    private static Path dir;
    private static KafkaBroker broker;
    private DefaultCamelContext camel;
    private ProducerTemplate template;

    @BeforeAll
    static void startBroker() throws Exception {
        dir = Files.createTempDirectory("dockwatch-kafka-it");
        broker = new KafkaBroker(dir.resolve("broker")).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void startCamel() throws Exception {
        Properties defaults = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            defaults.load(in);
        }
        Properties overrides = new Properties();
        overrides.setProperty(Settings.STATE_DIR, Files.createTempDirectory(dir, "state").toString());
        overrides.setProperty(KafkaSinkSettings.BROKERS, broker.bootstrapServers());
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("dockwatchServices", new DockwatchServices(Settings.from(defaults, Map.of(), overrides)));
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stopCamel() throws Exception {
        camel.close();
    }

    @Test
    void oneTopicPerKindKeyedByContainerWithTheRecordAsItIs() {
        String event = "{\"kind\":\"event\",\"container\":{\"id\":\"c1\",\"name\":\"web\"},\"event\":{\"action\":\"start\"}}";
        String log = "{\"kind\":\"log\",\"container\":{\"name\":\"web\",\"id\":\"c1\"},\"message\":\"héllo\"}";
        String host = "{\"kind\":\"host.stats\",\"host\":{\"name\":\"vm\"},\"stats\":{\"cpu\":{\"percent\":3.5}}}";
        send("kafka-sink:dockwatch", event, log, host);

        List<ConsumerRecord<byte[], byte[]>> got = consume("dockwatch-.*", 3);
        assertThat(got).extracting(ConsumerRecord::topic)
                .containsExactlyInAnyOrder("dockwatch-event", "dockwatch-log", "dockwatch-host-stats");
        for (ConsumerRecord<byte[], byte[]> r : got) {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            switch (r.topic()) {
                case "dockwatch-event" -> assertThat(value).isEqualTo(event);
                case "dockwatch-log" -> assertThat(value).isEqualTo(log);
                default -> assertThat(value).isEqualTo(host);
            }
            String kind = new String(r.headers().lastHeader(KafkaSinkConstants.KIND_HEADER).value(), StandardCharsets.UTF_8);
            assertThat(r.topic()).isEqualTo("dockwatch-" + kind.replace('.', '-'));
            if (kind.equals("host.stats")) {
                assertThat(r.key()).as("no key for host records").isNull();
            } else {
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("c1");
            }
        }
    }

    @Test
    void topicTemplateAndBrokersCanBeWrittenInTheRoute() {
        send("kafka-sink:other?brokers=" + broker.bootstrapServers() + "&topic=docker.{kind}.v1",
                "{\"kind\":\"daemon.log\",\"message\":\"x\"}");
        assertThat(consume("docker\\..*", 1)).extracting(ConsumerRecord::topic).containsExactly("docker.daemon-log.v1");
    }

    @Test
    void aRecordLargerThanKafkaTakesIsLeftOutAndCountedTheRestArrives() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger producerLog = (Logger) LoggerFactory.getLogger(KafkaSinkProducer.class);
        producerLog.addAppender(logs);
        try {
            String huge = "{\"kind\":\"event\",\"message\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
            send("kafka-sink:limits?topic=limits-{kind}", "{\"kind\":\"event\",\"n\":1}", huge, "{\"kind\":\"event\",\"n\":2}");

            // without a container id these records have no key: kafka-clients 3.9's sticky
            // partitioner may put them on either of the topic's two partitions, read in any order
            assertThat(consume("limits-.*", 2)).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("{\"kind\":\"event\",\"n\":1}", "{\"kind\":\"event\",\"n\":2}");
            KafkaSinkEndpoint endpoint = camel.getEndpoint("kafka-sink:limits?topic=limits-{kind}", KafkaSinkEndpoint.class);
            assertThat(endpoint.rejectedRecords()).isEqualTo(1);
            assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(1)
                    .first().extracting(ILoggingEvent::getFormattedMessage).asString().contains("larger than the brokers accept");
        } finally {
            producerLog.detachAppender(logs);
        }
    }

    private void send(String uri, String... records) {
        List<byte[]> lines = new ArrayList<>();
        for (String r : records) {
            lines.add(r.getBytes(StandardCharsets.UTF_8));
        }
        Exchange result = template.send(uri, e -> e.getMessage().setBody(new RecordBatch(lines)));
        if (result.getException() != null) {
            throw new AssertionError("the batch was not acknowledged", result.getException());
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> consume(String topics, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(Pattern.compile(topics));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(300)).forEach(got::add);
                return got.size() >= expected;
            });
            c.poll(Duration.ofMillis(500)).forEach(got::add);
        }
        assertThat(got).as("records in %s", topics).hasSize(expected);
        return got;
    }
}
