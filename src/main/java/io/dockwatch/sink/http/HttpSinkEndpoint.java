package io.dockwatch.sink.http;

import io.dockwatch.settings.Settings;
import org.apache.camel.AfterPropertiesConfigured;
import org.apache.camel.CamelContext;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Delivers the spool's records to an HTTP receiver (Elasticsearch/OpenSearch bulk, Splunk HEC,
 * Loki, Sumo Logic, or plain NDJSON / a JSON array), retrying with backoff while it is away and
 * keeping what it refuses in dead-letter files.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "http-sink", title = "dockwatch HTTP sink", syntax = "http-sink:name",
        producerOnly = true, remote = true, category = { Category.MONITORING, Category.HTTP })
public final class HttpSinkEndpoint extends DefaultEndpoint implements AfterPropertiesConfigured {
    /** Names this sink's dead-letter files (dead-letter/http-NAME-...) and its log lines. */
    @UriPath(defaultValue = "http")
    @Metadata(required = false)
    private String name;
    @UriParam
    private HttpSinkConfiguration configuration;
    private final Settings settings;
    private HttpSinkConfig config;

    HttpSinkEndpoint(String uri, HttpSinkComponent component, String name, HttpSinkConfiguration configuration,
            Settings settings) {
        super(uri, component);
        this.name = name;
        this.configuration = configuration;
        this.settings = settings;
    }

    /** Options bound: resolved against the settings now, so a bad one fails start-up. */
    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        config = HttpSinkConfig.from(settings, configuration);
    }

    /** The options as resolved (null: no URL); what the producer is made with. */
    HttpSinkConfig config() {
        return config;
    }

    @Override
    public Producer createProducer() {
        return new HttpSinkProducer(this, name, config);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("http-sink is a sink: use it in to:, not from:");
    }

    public String getName() {
        return name;
    }

    /** Names this sink's dead-letter files and log lines. */
    public void setName(String name) {
        this.name = name;
    }

    public HttpSinkConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(HttpSinkConfiguration configuration) {
        this.configuration = configuration;
    }
}
