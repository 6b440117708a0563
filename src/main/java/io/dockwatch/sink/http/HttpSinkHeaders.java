package io.dockwatch.sink.http;

/** HTTP header names and media types the HTTP sink sends or reads. */
final class HttpSinkHeaders {
    static final String CONTENT_TYPE = "Content-Type";
    static final String CONTENT_ENCODING = "Content-Encoding";
    static final String AUTHORIZATION = "Authorization";
    static final String RETRY_AFTER = "Retry-After";
    static final String SUMO_CATEGORY = "X-Sumo-Category";
    static final String SUMO_NAME = "X-Sumo-Name";
    static final String SUMO_HOST = "X-Sumo-Host";

    static final String GZIP = "gzip";
    static final String NDJSON = "application/x-ndjson";
    static final String JSON = "application/json";

    private HttpSinkHeaders() {
    }
}
