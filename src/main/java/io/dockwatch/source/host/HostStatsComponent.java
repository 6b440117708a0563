package io.dockwatch.source.host;

import io.dockwatch.docker.DockerDaemons;
import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/**
 * {@code host-stats:proc} — every {@code dockwatch.stats.interval}, a {@code host.stats} record
 * of this host from {@code dockwatch.host.proc} (CPU, load, memory, file systems, interfaces).
 */
@Component("host-stats")
public final class HostStatsComponent extends DockerSourceComponent {
    @Metadata(label = "advanced", autowired = true, description = "The Docker daemons and their event streams (bean dockerDaemons)")
    private DockerDaemons dockerDaemons;
    /** The options every endpoint starts from. */
    @Metadata
    private HostStatsConfiguration configuration = new HostStatsConfiguration();

    @Override
    protected SourceServices withServices(SourceServices common) {
        return common
                .withDaemons(dockerDaemons = resolve(dockerDaemons, DockerDaemons.class));
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new HostStatsEndpoint(uri, this, services(), HostStatsConsumer::new, (HostStatsConfiguration) configuration.copy());
    }

    public DockerDaemons getDockerDaemons() {
        return dockerDaemons;
    }

    public void setDockerDaemons(DockerDaemons dockerDaemons) {
        this.dockerDaemons = dockerDaemons;
    }

    public HostStatsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(HostStatsConfiguration configuration) {
        this.configuration = configuration;
    }
}
