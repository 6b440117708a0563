package io.dockwatch.source;

import io.dockwatch.settings.OptionAliases;
import io.dockwatch.settings.Settings;
import org.apache.camel.spi.UriParam;

/**
 * The options of a source that reads some containers and not others (logs, stats, files inside
 * containers, service logs): which ones, by name or image. One source can follow fewer containers
 * than another (stats of all, logs of some).
 */
public abstract class ContainerSourceConfiguration extends SourceConfiguration {
    /**
     * Only containers whose name or image matches one of these comma-separated globs (* and ?);
     * empty: every container. Setting: dockwatch.containers.include.
     */
    @UriParam(label = "filter")
    private String include;
    /**
     * No container whose name or image matches one of these comma-separated globs, even if
     * included. Setting: dockwatch.containers.exclude.
     */
    @UriParam(label = "filter")
    private String exclude;

    @Override
    protected void alias(OptionAliases aliases) {
        aliases.option(Settings.CONTAINERS_INCLUDE, "include", include)
                .option(Settings.CONTAINERS_EXCLUDE, "exclude", exclude);
    }

    public String getInclude() {
        return include;
    }

    public void setInclude(String include) {
        this.include = include;
    }

    public String getExclude() {
        return exclude;
    }

    public void setExclude(String exclude) {
        this.exclude = exclude;
    }
}
