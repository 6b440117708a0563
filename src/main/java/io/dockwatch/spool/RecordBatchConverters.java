package io.dockwatch.spool;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dockwatch.record.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Converter;

/**
 * Camel type converters for the body a spool consumer hands on, so that any stock endpoint after
 * {@code spool:records?sink=NAME} gets the records: NDJSON as {@code String}, {@code byte[]} or
 * {@code InputStream} (what camel-file, camel-http, log: and {@code convertBodyTo} ask for), or
 * the records as a {@code List} of maps (for marshalling, {@code simple} and {@code jq}).
 *
 * <p>Registered by {@link RecordBatchConvertersLoader}, listed in
 * {@code META-INF/services/org/apache/camel/TypeConverterLoader}: Camel's own fast loading, which
 * works alike in the fat jar (the shade plugin appends that file), the thin jar and any runtime,
 * with no class path scanning. The loader is written by hand because Camel's package plugin, which
 * would generate it from {@code @Converter(generateLoader = true)}, is not served here.
 */
@Converter
public final class RecordBatchConverters {
    private static final TypeReference<Map<String, Object>> RECORD = new TypeReference<>() {
    };

    private RecordBatchConverters() {
    }

    @Converter
    public static byte[] toBytes(RecordBatch batch) {
        return batch.toNdjson();
    }

    @Converter
    public static String toNdjson(RecordBatch batch) {
        return batch.toString();
    }

    @Converter
    public static InputStream toInputStream(RecordBatch batch) {
        return new ByteArrayInputStream(batch.toNdjson());
    }

    /** Each record as a map (nested objects as maps, arrays as lists), in spool order. */
    @Converter
    public static List<Map<String, Object>> toList(RecordBatch batch) {
        List<Map<String, Object>> out = new ArrayList<>(batch.size());
        for (byte[] line : batch.lines()) {
            try {
                out.add(Json.MAPPER.readValue(line, RECORD));
            } catch (IOException e) {
                // a spool line is always a record the collector wrote; failing loudly keeps the
                // batch in the spool rather than handing on a list with a record missing
                throw new UncheckedIOException("A spool record is not a JSON object", e);
            }
        }
        return out;
    }
}
