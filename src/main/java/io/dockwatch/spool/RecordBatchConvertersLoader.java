package io.dockwatch.spool;

import org.apache.camel.TypeConverterLoaderException;
import org.apache.camel.spi.TypeConverterLoader;
import org.apache.camel.spi.TypeConverterRegistry;
import org.apache.camel.support.SimpleTypeConverter;

/**
 * Registers {@link RecordBatchConverters} with Camel, the shape Camel's package plugin generates
 * for {@code @Converter(generateLoader = true)}. Named in
 * {@code META-INF/services/org/apache/camel/TypeConverterLoader}, which every Camel context reads
 * at start.
 */
public final class RecordBatchConvertersLoader implements TypeConverterLoader {

    @Override
    public void load(TypeConverterRegistry registry) throws TypeConverterLoaderException {
        add(registry, byte[].class, (type, exchange, value) -> RecordBatchConverters.toBytes((RecordBatch) value));
        add(registry, String.class, (type, exchange, value) -> RecordBatchConverters.toNdjson((RecordBatch) value));
        add(registry, java.io.InputStream.class,
                (type, exchange, value) -> RecordBatchConverters.toInputStream((RecordBatch) value));
        add(registry, java.util.List.class, (type, exchange, value) -> RecordBatchConverters.toList((RecordBatch) value));
    }

    private static void add(TypeConverterRegistry registry, Class<?> to, SimpleTypeConverter.ConversionMethod method) {
        registry.addTypeConverter(to, RecordBatch.class, new SimpleTypeConverter(false, method));
    }
}
