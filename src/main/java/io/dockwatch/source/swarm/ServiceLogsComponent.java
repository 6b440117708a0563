package io.dockwatch.source.swarm;

import io.dockwatch.cluster.SharedCheckpoints;
import io.dockwatch.docker.DockerDaemons;
import io.dockwatch.enrich.ContainerMetadataCache;
import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import io.dockwatch.spool.Spools;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/**
 * {@code docker-service-logs:all} — the logs of every swarm service, read through a manager
 * ({@code /services/{id}/logs}) as {@code log} records with {@code swarm.*} and {@code container.*}
 * fields: a whole swarm collected from one place, checkpointed per task. Meant to run once per
 * cluster, under {@code master:}; off in the shipped routes ({@code dockwatch.swarm.service.logs}).
 */
@Component("docker-service-logs")
public final class ServiceLogsComponent extends DockerSourceComponent {
    @Metadata(label = "advanced", autowired = true, description = "The Docker daemons and their event streams (bean dockerDaemons)")
    private DockerDaemons dockerDaemons;
    @Metadata(label = "advanced", autowired = true, description = "The spools and the sources' checkpoints (bean spools)")
    private Spools spools;
    @Metadata(label = "advanced", autowired = true, description = "The container metadata cache (bean containerMetadata)")
    private ContainerMetadataCache containerMetadata;
    @Metadata(label = "advanced", autowired = true, description = "Checkpoints shared in the cluster folder (bean sharedCheckpoints)")
    private SharedCheckpoints sharedCheckpoints;
    /** The options every endpoint starts from. */
    @Metadata
    private ServiceLogsConfiguration configuration = new ServiceLogsConfiguration();

    @Override
    protected SourceServices withServices(SourceServices common) {
        return common
                .withDaemons(dockerDaemons = resolve(dockerDaemons, DockerDaemons.class))
                .withCheckpoints((spools = resolve(spools, Spools.class)).checkpoints())
                .withMetadata(containerMetadata = resolve(containerMetadata, ContainerMetadataCache.class))
                .withSharedCheckpoints(sharedCheckpoints = resolve(sharedCheckpoints, SharedCheckpoints.class));
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new ServiceLogsEndpoint(uri, this, services(), ServiceLogsConsumer::new, (ServiceLogsConfiguration) configuration.copy());
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

    public SharedCheckpoints getSharedCheckpoints() {
        return sharedCheckpoints;
    }

    public void setSharedCheckpoints(SharedCheckpoints sharedCheckpoints) {
        this.sharedCheckpoints = sharedCheckpoints;
    }

    public ServiceLogsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(ServiceLogsConfiguration configuration) {
        this.configuration = configuration;
    }
}
