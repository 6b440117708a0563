package io.dockwatch.sink.syslog;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The syslog sink's options, shared by the component ({@code camel.component.syslog-sink.*}, the
 * defaults of every endpoint) and each endpoint (the URI's query). An option left unset (null)
 * falls back to its {@code dockwatch.sink.syslog.*} setting.
 */
@UriParams
@Configurer
public class SyslogSinkConfiguration implements Cloneable {
    /**
     * The receiver: udp://host:port, tcp://host:port or tls://host:port. Setting it switches the
     * shipped sink-syslog route on. Setting: dockwatch.sink.syslog.url.
     */
    @UriParam(label = "common")
    private String url;
    /** Message format: rfc5424, or rfc3164 (BSD) for old receivers. Setting: dockwatch.sink.syslog.protocol. */
    @UriParam(label = "common", defaultValue = "rfc5424", enums = "rfc5424,rfc3164")
    private String protocol;
    /**
     * TCP and TLS framing (RFC 6587): octet-counting, or newline for receivers that only split
     * lines. Setting: dockwatch.sink.syslog.framing.
     */
    @UriParam(label = "advanced", defaultValue = "octet-counting", enums = "octet-counting,newline")
    private String framing;
    /** Facility of every message: kern, user, daemon, ..., local0 to local7. Setting: dockwatch.sink.syslog.facility. */
    @UriParam(label = "common", defaultValue = "local0",
            enums = "kern,user,mail,daemon,auth,syslog,lpr,news,uucp,cron,authpriv,ftp,ntp,security,console,solaris-cron,"
                    + "local0,local1,local2,local3,local4,local5,local6,local7")
    private String facility;
    /**
     * A message longer than this many bytes (480 to 65000) is cut. Setting:
     * dockwatch.sink.syslog.max.bytes.
     */
    @UriParam(label = "advanced", defaultValue = "8192")
    private Integer maxBytes;
    /**
     * tls://: PEM file of CA certificates to trust, instead of the JVM's default trust store.
     * Setting: dockwatch.sink.syslog.tls.ca.
     */
    @UriParam(label = "security")
    private String tlsCa;

    /** A copy for an endpoint, so its URI options do not change the component's. */
    public SyslogSinkConfiguration copy() {
        try {
            return (SyslogSinkConfiguration) clone();
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

    public String getProtocol() {
        return protocol;
    }

    public void setProtocol(String protocol) {
        this.protocol = protocol;
    }

    public String getFraming() {
        return framing;
    }

    public void setFraming(String framing) {
        this.framing = framing;
    }

    public String getFacility() {
        return facility;
    }

    public void setFacility(String facility) {
        this.facility = facility;
    }

    public Integer getMaxBytes() {
        return maxBytes;
    }

    public void setMaxBytes(Integer maxBytes) {
        this.maxBytes = maxBytes;
    }

    public String getTlsCa() {
        return tlsCa;
    }

    public void setTlsCa(String tlsCa) {
        this.tlsCa = tlsCa;
    }
}
