package io.dockwatch.sink.http;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The HTTP sink's options, shared by the component ({@code camel.component.http-sink.*}, the
 * defaults of every endpoint) and each endpoint (the URI's query). An option left unset (null)
 * falls back to its {@code dockwatch.sink.http.*} setting, whose built-in default the metadata
 * states.
 */
@UriParams
@Configurer
public class HttpSinkConfiguration implements Cloneable {
    /**
     * Where records are POSTed: an http:// or https:// URL (a user and password in it mean Basic
     * auth). Setting it switches the shipped sink-http route on. Setting: dockwatch.sink.http.url.
     */
    @UriParam(label = "common")
    private String url;
    /**
     * The request body's format: ndjson, json-array, elasticsearch-bulk (also OpenSearch, URL
     * .../_bulk), splunk-hec, loki or sumo. Setting: dockwatch.sink.http.format.
     */
    @UriParam(label = "common", defaultValue = "ndjson",
            enums = "ndjson,json-array,elasticsearch-bulk,splunk-hec,loki,sumo")
    private String format;
    /** Compress request bodies (Content-Encoding: gzip). Setting: dockwatch.sink.http.gzip. */
    @UriParam(label = "advanced", defaultValue = "false")
    private Boolean gzip;
    /**
     * The largest request body before compression, such as 512kb or 1mb; a 413 answer halves it.
     * Setting: dockwatch.sink.http.max.bytes.
     */
    @UriParam(label = "advanced", defaultValue = "1mb")
    private String maxBytes;
    /**
     * Time for one request, from connecting to the end of the response, such as 30s.
     * Setting: dockwatch.sink.http.timeout.
     */
    @UriParam(label = "advanced", defaultValue = "30s")
    private String timeout;
    /**
     * First wait before retrying a connection error, 408, 429 or 5xx, doubling with jitter up to
     * retryMax. Setting: dockwatch.sink.http.retry.initial.
     */
    @UriParam(label = "advanced", defaultValue = "500ms")
    private String retryInitial;
    /** Longest wait between retries. Setting: dockwatch.sink.http.retry.max. */
    @UriParam(label = "advanced", defaultValue = "30s")
    private String retryMax;
    /**
     * The Authorization header's value, such as Bearer TOKEN, Splunk TOKEN or Basic BASE64.
     * Setting: dockwatch.sink.http.auth.
     */
    @UriParam(label = "security", secret = true)
    private String auth;
    /**
     * A file holding the Authorization header's value, read at start (keeps the secret out of the
     * process list and the routes). Setting: dockwatch.sink.http.auth.file.
     */
    @UriParam(label = "security")
    private String authFile;
    /**
     * PEM file of CA certificates to trust for https, instead of the JVM's default trust store.
     * Setting: dockwatch.sink.http.tls.ca.
     */
    @UriParam(label = "security")
    private String tlsCa;
    /**
     * elasticsearch-bulk: the index of each record; {kind} is the record's kind.
     * Setting: dockwatch.sink.http.index.
     */
    @UriParam(label = "format", defaultValue = "dockwatch-{kind}")
    private String index;
    /** splunk-hec: the source of each event. Setting: dockwatch.sink.http.splunk.source. */
    @UriParam(label = "format", defaultValue = "dockwatch")
    private String splunkSource;
    /**
     * splunk-hec: the sourcetype of each event; {kind} is the record's kind.
     * Setting: dockwatch.sink.http.splunk.sourcetype.
     */
    @UriParam(label = "format", defaultValue = "dockwatch:{kind}")
    private String splunkSourcetype;
    /** splunk-hec: the index of each event, when set. Setting: dockwatch.sink.http.splunk.index. */
    @UriParam(label = "format")
    private String splunkIndex;
    /**
     * sumo: the X-Sumo-Category header; {kind} is the record's kind.
     * Setting: dockwatch.sink.http.sumo.category.
     */
    @UriParam(label = "format", defaultValue = "dockwatch/{kind}")
    private String sumoCategory;
    /** sumo: the X-Sumo-Name header. Setting: dockwatch.sink.http.sumo.name. */
    @UriParam(label = "format", defaultValue = "dockwatch")
    private String sumoName;

    /** A copy for an endpoint, so its URI options do not change the component's. */
    public HttpSinkConfiguration copy() {
        try {
            return (HttpSinkConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public Boolean getGzip() {
        return gzip;
    }

    public void setGzip(Boolean gzip) {
        this.gzip = gzip;
    }

    public String getMaxBytes() {
        return maxBytes;
    }

    public void setMaxBytes(String maxBytes) {
        this.maxBytes = maxBytes;
    }

    public String getTimeout() {
        return timeout;
    }

    public void setTimeout(String timeout) {
        this.timeout = timeout;
    }

    public String getRetryInitial() {
        return retryInitial;
    }

    public void setRetryInitial(String retryInitial) {
        this.retryInitial = retryInitial;
    }

    public String getRetryMax() {
        return retryMax;
    }

    public void setRetryMax(String retryMax) {
        this.retryMax = retryMax;
    }

    public String getAuth() {
        return auth;
    }

    public void setAuth(String auth) {
        this.auth = auth;
    }

    public String getAuthFile() {
        return authFile;
    }

    public void setAuthFile(String authFile) {
        this.authFile = authFile;
    }

    public String getTlsCa() {
        return tlsCa;
    }

    public void setTlsCa(String tlsCa) {
        this.tlsCa = tlsCa;
    }

    public String getIndex() {
        return index;
    }

    public void setIndex(String index) {
        this.index = index;
    }

    public String getSplunkSource() {
        return splunkSource;
    }

    public void setSplunkSource(String splunkSource) {
        this.splunkSource = splunkSource;
    }

    public String getSplunkSourcetype() {
        return splunkSourcetype;
    }

    public void setSplunkSourcetype(String splunkSourcetype) {
        this.splunkSourcetype = splunkSourcetype;
    }

    public String getSplunkIndex() {
        return splunkIndex;
    }

    public void setSplunkIndex(String splunkIndex) {
        this.splunkIndex = splunkIndex;
    }

    public String getSumoCategory() {
        return sumoCategory;
    }

    public void setSumoCategory(String sumoCategory) {
        this.sumoCategory = sumoCategory;
    }

    public String getSumoName() {
        return sumoName;
    }

    public void setSumoName(String sumoName) {
        this.sumoName = sumoName;
    }
}
