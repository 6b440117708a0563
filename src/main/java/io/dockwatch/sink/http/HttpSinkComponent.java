package io.dockwatch.sink.http;

import io.dockwatch.DockwatchServices;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code http-sink:NAME[?url=RAW(...)&format=loki]} — the HTTP sink. Everything comes from the
 * {@code dockwatch.sink.http.*} settings; {@code url} and {@code format} may be given per endpoint
 * so one collector can feed two receivers. NAME names its dead-letter files.
 */
public final class HttpSinkComponent extends DefaultComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String url = getAndRemoveParameter(parameters, "url", String.class);
        String format = getAndRemoveParameter(parameters, "format", String.class);
        HttpSinkConfig config = HttpSinkConfig.from(DockwatchServices.of(getCamelContext()).settings(), url, format);
        return new HttpSinkEndpoint(uri, this, remaining.isEmpty() ? "http" : remaining, config);
    }
}
