package io.dockwatch.sink.kafka;

import io.dockwatch.record.Kind;
import io.dockwatch.settings.Settings;
import io.dockwatch.settings.SettingsException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Topic names from the template {@code dockwatch.sink.kafka.topic}, e.g. {@code dockwatch-{kind}}.
 * The kind's dots become dashes ({@code host.stats} → {@code dockwatch-host-stats}): Kafka accepts
 * dots, but warns that topics differing only in {@code .} versus {@code _} collide in its metrics,
 * and dashes read the same as the template's own.
 */
public final class KafkaTopics {
    public static final String DEFAULT_TEMPLATE = "dockwatch-{kind}";
    public static final String KIND_PLACEHOLDER = "{kind}";
    /** Kafka's own rule for topic names (Topic.validate): legal characters and at most 249 of them. */
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final String template;
    private final Map<String, String> byKind = new ConcurrentHashMap<>();

    public KafkaTopics(String template) {
        this.template = template == null || template.isBlank() ? DEFAULT_TEMPLATE : template.trim();
    }

    /** The topic for records of this kind. */
    public String topicFor(String kind) {
        return byKind.computeIfAbsent(kind, k -> template.replace(KIND_PLACEHOLDER, k.replace('.', '-')));
    }

    /** Fails start-up with one line when the template gives an illegal topic name for some kind. */
    public static void check(String template) {
        KafkaTopics topics = new KafkaTopics(template);
        for (Kind kind : Kind.values()) {
            String topic = topics.topicFor(kind.value());
            if (!LEGAL.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
                throw new SettingsException(KafkaSinkSettings.TOPIC, template,
                        "a topic name of letters, digits, '.', '_' and '-' (at most 249), {kind} standing for the record kind");
            }
        }
    }
}
