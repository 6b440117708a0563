package io.dockwatch.source.daemonstats;

import io.dockwatch.docker.DockerDaemons;
import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/**
 * {@code docker-daemon-stats:all} — every {@code dockwatch.daemon.stats.interval}, a
 * {@code daemon.stats} record per daemon: containers running, paused and stopped, images, and
 * disk use from {@code /system/df}.
 */
@Component("docker-daemon-stats")
public final class DaemonStatsComponent extends DockerSourceComponent {
    @Metadata(label = "advanced", autowired = true, description = "The Docker daemons and their event streams (bean dockerDaemons)")
    private DockerDaemons dockerDaemons;
    /** The options every endpoint starts from. */
    @Metadata
    private DaemonStatsConfiguration configuration = new DaemonStatsConfiguration();

    @Override
    protected SourceServices withServices(SourceServices common) {
        return common
                .withDaemons(dockerDaemons = resolve(dockerDaemons, DockerDaemons.class));
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new DaemonStatsEndpoint(uri, this, services(), DaemonStatsConsumer::new, (DaemonStatsConfiguration) configuration.copy());
    }

    public DockerDaemons getDockerDaemons() {
        return dockerDaemons;
    }

    public void setDockerDaemons(DockerDaemons dockerDaemons) {
        this.dockerDaemons = dockerDaemons;
    }

    public DaemonStatsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(DaemonStatsConfiguration configuration) {
        this.configuration = configuration;
    }
}
