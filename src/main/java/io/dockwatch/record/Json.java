package io.dockwatch.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one Jackson mapper of the collector (thread-safe once configured). */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.INDENT_OUTPUT)
            // non-ASCII goes out as UTF-8, as log records written by NdjsonBuffer do
            .configure(JsonGenerator.Feature.ESCAPE_NON_ASCII, false);
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * A record's JSON read back as an object, or an empty object for anything else: sinks read
     * fields of spool lines, which are always records, and must never stall on a stray one.
     */
    public static ObjectNode readObject(byte[] json) {
        try {
            if (MAPPER.readTree(json) instanceof ObjectNode o) {
                return o;
            }
        } catch (java.io.IOException e) {
            // not JSON: treated as a record without fields
        }
        return NODES.objectNode();
    }

    private Json() {
    }
}
