package io.dockwatch.source.stats;

import io.dockwatch.context.ContainerContexts;
import io.dockwatch.docker.DockerDaemons;
import io.dockwatch.enrich.ContainerMetadataCache;
import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/**
 * {@code docker-stats:all} — every {@code dockwatch.stats.interval}, a {@code stats} record per
 * running container of every daemon (opted-out and excluded ones left alone).
 */
@Component("docker-stats")
public final class StatsComponent extends DockerSourceComponent {
    @Metadata(label = "advanced", autowired = true, description = "The Docker daemons and their event streams (bean dockerDaemons)")
    private DockerDaemons dockerDaemons;
    @Metadata(label = "advanced", autowired = true, description = "The container metadata cache (bean containerMetadata)")
    private ContainerMetadataCache containerMetadata;
    @Metadata(label = "advanced", autowired = true, description = "What was last seen of each container (bean containerContexts)")
    private ContainerContexts containerContexts;
    /** The options every endpoint starts from. */
    @Metadata
    private StatsConfiguration configuration = new StatsConfiguration();

    @Override
    protected SourceServices withServices(SourceServices common) {
        return common
                .withDaemons(dockerDaemons = resolve(dockerDaemons, DockerDaemons.class))
                .withMetadata(containerMetadata = resolve(containerMetadata, ContainerMetadataCache.class))
                .withContexts(containerContexts = resolve(containerContexts, ContainerContexts.class));
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new StatsEndpoint(uri, this, services(), StatsConsumer::new, (StatsConfiguration) configuration.copy());
    }

    public DockerDaemons getDockerDaemons() {
        return dockerDaemons;
    }

    public void setDockerDaemons(DockerDaemons dockerDaemons) {
        this.dockerDaemons = dockerDaemons;
    }

    public ContainerMetadataCache getContainerMetadata() {
        return containerMetadata;
    }

    public void setContainerMetadata(ContainerMetadataCache containerMetadata) {
        this.containerMetadata = containerMetadata;
    }

    public ContainerContexts getContainerContexts() {
        return containerContexts;
    }

    public void setContainerContexts(ContainerContexts containerContexts) {
        this.containerContexts = containerContexts;
    }

    public StatsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(StatsConfiguration configuration) {
        this.configuration = configuration;
    }
}
