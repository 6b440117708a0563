package io.dockwatch.source.containerfiles;

import io.dockwatch.docker.DockerDaemons;
import io.dockwatch.docker.OwnExecs;
import io.dockwatch.enrich.ContainerMetadataCache;
import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import io.dockwatch.spool.Spools;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/** {@code docker-container-files:all} — log files inside containers that ask for it by label. */
@Component("docker-container-files")
public final class ContainerFilesComponent extends DockerSourceComponent {
    @Metadata(label = "advanced", autowired = true, description = "The Docker daemons and their event streams (bean dockerDaemons)")
    private DockerDaemons dockerDaemons;
    @Metadata(label = "advanced", autowired = true, description = "The spools and the sources' checkpoints (bean spools)")
    private Spools spools;
    @Metadata(label = "advanced", autowired = true, description = "The container metadata cache (bean containerMetadata)")
    private ContainerMetadataCache containerMetadata;
    @Metadata(label = "advanced", autowired = true, description = "The execs the collector made itself (bean ownExecs)")
    private OwnExecs ownExecs;
    /** The options every endpoint starts from. */
    @Metadata
    private ContainerFilesConfiguration configuration = new ContainerFilesConfiguration();

    @Override
    protected SourceServices withServices(SourceServices common) {
        return common
                .withDaemons(dockerDaemons = resolve(dockerDaemons, DockerDaemons.class))
                .withCheckpoints((spools = resolve(spools, Spools.class)).checkpoints())
                .withMetadata(containerMetadata = resolve(containerMetadata, ContainerMetadataCache.class))
                .withOwnExecs(ownExecs = resolve(ownExecs, OwnExecs.class));
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new ContainerFilesEndpoint(uri, this, services(), ContainerFilesConsumer::new, (ContainerFilesConfiguration) configuration.copy());
    }

    public DockerDaemons getDockerDaemons() {
        return dockerDaemons;
    }

    public void setDockerDaemons(DockerDaemons dockerDaemons) {
        this.dockerDaemons = dockerDaemons;
    }

    public Spools getSpools() {
        return spools;
    }

    public void setSpools(Spools spools) {
        this.spools = spools;
    }

    public ContainerMetadataCache getContainerMetadata() {
        return containerMetadata;
    }

    public void setContainerMetadata(ContainerMetadataCache containerMetadata) {
        this.containerMetadata = containerMetadata;
    }

    public OwnExecs getOwnExecs() {
        return ownExecs;
    }

    public void setOwnExecs(OwnExecs ownExecs) {
        this.ownExecs = ownExecs;
    }

    public ContainerFilesConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(ContainerFilesConfiguration configuration) {
        this.configuration = configuration;
    }
}
