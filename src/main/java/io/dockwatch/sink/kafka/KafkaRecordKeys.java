package io.dockwatch.sink.kafka;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.dockwatch.record.Json;
import java.io.IOException;

/**
 * Reads a serialised record's {@code kind} and {@code container.id} with Jackson's streaming parser,
 * skipping everything else (a log message can be large), instead of building the whole tree.
 */
final class KafkaRecordKeys {
    /** What the sink needs from a record: its topic's kind and its key (null for host records). */
    record Keys(String kind, String containerId) {
    }

    private KafkaRecordKeys() {
    }

    static Keys of(byte[] json) throws IOException {
        String kind = "";
        String containerId = null;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("A spooled record is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (KafkaSinkConstants.KIND_FIELD.equals(field) && value == JsonToken.VALUE_STRING) {
                    kind = p.getText();
                } else if (KafkaSinkConstants.CONTAINER_FIELD.equals(field) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.currentName();
                        JsonToken innerValue = p.nextToken();
                        if (KafkaSinkConstants.ID_FIELD.equals(inner) && innerValue == JsonToken.VALUE_STRING) {
                            containerId = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return new Keys(kind, containerId);
    }
}
