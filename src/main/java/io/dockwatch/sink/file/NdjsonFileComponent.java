package io.dockwatch.sink.file;

import io.dockwatch.DockwatchServices;
import io.dockwatch.settings.Settings;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/** {@code ndjson-file:DIR[?maxBytes=64mb&prefix=dockwatch]} — the NDJSON file sink. */
public final class NdjsonFileComponent extends DefaultComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Settings settings = DockwatchServices.of(getCamelContext()).settings();
        String max = getAndRemoveParameter(parameters, "maxBytes", String.class);
        long maxBytes = max != null ? Settings.from(new java.util.Properties(), Map.of(),
                props("dockwatch.sink.file.max.bytes", max)).bytes(Settings.SINK_FILE_MAX_BYTES)
                : settings.bytes(Settings.SINK_FILE_MAX_BYTES);
        String prefix = getAndRemoveParameter(parameters, "prefix", String.class, "dockwatch");
        return new NdjsonFileEndpoint(uri, this, Path.of(remaining), prefix, maxBytes);
    }

    private static java.util.Properties props(String k, String v) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty(k, v);
        return p;
    }
}
