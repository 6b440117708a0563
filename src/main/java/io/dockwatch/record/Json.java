package io.dockwatch.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The one Jackson mapper of the collector (thread-safe once configured). */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.INDENT_OUTPUT)
            // Log lines may hold any code point; escaping non-ASCII keeps every record valid for
            // receivers that mishandle raw UTF-8, at no cost for ASCII-heavy logs.
            .configure(JsonGenerator.Feature.ESCAPE_NON_ASCII, false);
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }
}
