package io.dockwatch.sink.kafka;

/** Names the Kafka sink puts on what it sends. */
public final class KafkaSinkConstants {
    /** Kafka record header holding the record's kind, so consumers can route without parsing. */
    public static final String KIND_HEADER = "dockwatch.kind";
    /** The record field read for the Kafka key: {@code container.id} (absent on host records). */
    static final String CONTAINER_FIELD = "container";
    static final String ID_FIELD = "id";
    static final String KIND_FIELD = "kind";

    private KafkaSinkConstants() {
    }
}
