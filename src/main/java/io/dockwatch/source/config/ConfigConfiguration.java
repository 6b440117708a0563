package io.dockwatch.source.config;

import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.SourceConfiguration;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@code docker-config:}, on the component ({@code camel.component.docker-config.*}) and on
 * each endpoint's URI; one left unset (null) falls back to the setting it names.
 */
@UriParams
@Configurer
public class ConfigConfiguration extends SourceConfiguration {
    /**
     * Environment keys whose values config records show (comma-separated, * a wildcard); all others read
     * {@code <redacted>}. Setting: dockwatch.config.env.allow.
     */
    @UriParam(label = "security", defaultValue = "PATH,HOME,HOSTNAME,TERM,LANG,LC_*,TZ")
    private String envAllow;
    /**
     * How long a workload's last configuration is kept for drift once its last container is gone. Setting:
     * dockwatch.drift.retention.
     */
    @UriParam(label = "advanced", defaultValue = "7d")
    private String driftRetention;

    @Override
    protected void alias(OptionAliases aliases) {
        aliases
                .option(Settings.CONFIG_ENV_ALLOW, "envAllow", envAllow)
                .option(Settings.DRIFT_RETENTION, "driftRetention", driftRetention);
    }

    @Override
    protected void check(Settings s) {
        s.list(Settings.CONFIG_ENV_ALLOW);
        if (s.isSet(Settings.DRIFT_RETENTION)) {
            s.duration(Settings.DRIFT_RETENTION);
        }
    }

    public String getEnvAllow() {
        return envAllow;
    }

    public void setEnvAllow(String envAllow) {
        this.envAllow = envAllow;
    }

    public String getDriftRetention() {
        return driftRetention;
    }

    public void setDriftRetention(String driftRetention) {
        this.driftRetention = driftRetention;
    }
}
