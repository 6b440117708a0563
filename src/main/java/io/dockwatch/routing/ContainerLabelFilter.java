package io.dockwatch.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Record;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Keeps the records of containers carrying a label (with a given value, if one is set) and lets the
 * others go, for YAML routes: a bean with {@code label} and {@code value} properties, used as
 * {@code process: ref: NAME} before {@code spool:records}.
 *
 * <p>Unlike Camel's {@code filter}, it never stops the exchange: a source's checkpoint travels with
 * it, and the spool still saves that position when nothing is left, so records that were filtered
 * out are not read again after a restart. Works on one record or on a source's list of records.
 */
public final class ContainerLabelFilter implements Processor {
    private String label;
    private String value = "";

    /** The label's name as Docker has it; dots are part of the name ({@code com.docker.compose.service}). */
    public void setLabel(String label) {
        this.label = label;
    }

    /** The value the label must have; empty: any value. */
    public void setValue(String value) {
        this.value = value == null ? "" : value;
    }

    @Override
    public void process(Exchange exchange) {
        if (label == null || label.isBlank()) {
            throw new IllegalStateException("ContainerLabelFilter needs a label: properties: {label: NAME, value: VALUE}");
        }
        Object body = exchange.getMessage().getBody();
        if (body instanceof Record r) {
            exchange.getMessage().setBody(matches(r) ? r : null);
        } else if (body instanceof List<?> list) {
            List<Record> kept = new ArrayList<>(list.size());
            for (Object o : list) {
                if (o instanceof Record r && matches(r)) {
                    kept.add(r);
                }
            }
            exchange.getMessage().setBody(kept.isEmpty() ? null : kept);
        }
    }

    boolean matches(Record r) {
        JsonNode labels = r.get(Fields.CONTAINER_LABELS);
        if (labels == null || !labels.has(label)) {
            return false;
        }
        return value.isEmpty() || value.equals(labels.get(label).asText());
    }
}
