package io.dockwatch.sink.file;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The NDJSON file sink's options, shared by the component ({@code camel.component.ndjson-file.*},
 * the defaults of every endpoint) and each endpoint (the URI's query). An option left unset (null)
 * falls back to its {@code dockwatch.sink.file.*} setting.
 */
@UriParams
@Configurer
public class NdjsonFileConfiguration implements Cloneable {
    /** The size at which a file is closed and the next one begun, such as 64mb. Setting: dockwatch.sink.file.max.bytes. */
    @UriParam(label = "rolling", defaultValue = "64mb")
    private String maxBytes;
    /**
     * When set, the age at which a file is closed and the next one begun (checked as records
     * arrive), such as 1h; unset, files have no age limit. Setting: dockwatch.sink.file.max.age.
     */
    @UriParam(label = "rolling")
    private String maxAge;
    /** Compress closed files to .ndjson.gz (the file being written never is). Setting: dockwatch.sink.file.gzip. */
    @UriParam(label = "rolling", defaultValue = "false")
    private Boolean gzip;
    /** Closed files to keep, newest first; 0 keeps all. Setting: dockwatch.sink.file.retention.count. */
    @UriParam(label = "retention", defaultValue = "0")
    private Integer keepFiles;
    /**
     * Closed files older than this are deleted, such as 7d; unset, they are kept whatever their
     * age. Setting: dockwatch.sink.file.retention.age.
     */
    @UriParam(label = "retention")
    private String keepAge;
    /** The start of every file name: PREFIX-TIMESTAMP.ndjson. */
    @UriParam(defaultValue = "dockwatch")
    private String prefix;

    /** A copy for an endpoint, so its URI options do not change the component's. */
    public NdjsonFileConfiguration copy() {
        try {
            return (NdjsonFileConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getMaxBytes() {
        return maxBytes;
    }

    public void setMaxBytes(String maxBytes) {
        this.maxBytes = maxBytes;
    }

    public String getMaxAge() {
        return maxAge;
    }

    public void setMaxAge(String maxAge) {
        this.maxAge = maxAge;
    }

    public Boolean getGzip() {
        return gzip;
    }

    public void setGzip(Boolean gzip) {
        this.gzip = gzip;
    }

    public Integer getKeepFiles() {
        return keepFiles;
    }

    public void setKeepFiles(Integer keepFiles) {
        this.keepFiles = keepFiles;
    }

    public String getKeepAge() {
        return keepAge;
    }

    public void setKeepAge(String keepAge) {
        this.keepAge = keepAge;
    }

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }
}
