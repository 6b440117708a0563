package io.dockwatch.source.swarm;

import io.dockwatch.cluster.SharedCheckpoints;
import io.dockwatch.docker.DockerDaemons;
import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import io.dockwatch.spool.Spools;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/**
 * {@code docker-swarm-events:all} — the swarm-wide events of every daemon that is a swarm manager
 * (service, node, secret, config: Docker's {@code scope=swarm}) as {@code event} records, resumed
 * from the cluster's shared checkpoint. Meant to run once per cluster, under {@code master:}.
 */
@Component("docker-swarm-events")
public final class SwarmEventsComponent extends DockerSourceComponent {
    @Metadata(label = "advanced", autowired = true, description = "The Docker daemons and their event streams (bean dockerDaemons)")
    private DockerDaemons dockerDaemons;
    @Metadata(label = "advanced", autowired = true, description = "The spools and the sources' checkpoints (bean spools)")
    private Spools spools;
    @Metadata(label = "advanced", autowired = true, description = "Checkpoints shared in the cluster folder (bean sharedCheckpoints)")
    private SharedCheckpoints sharedCheckpoints;
    /** The options every endpoint starts from. */
    @Metadata
    private SwarmEventsConfiguration configuration = new SwarmEventsConfiguration();

    @Override
    protected SourceServices withServices(SourceServices common) {
        return common
                .withDaemons(dockerDaemons = resolve(dockerDaemons, DockerDaemons.class))
                .withCheckpoints((spools = resolve(spools, Spools.class)).checkpoints())
                .withSharedCheckpoints(sharedCheckpoints = resolve(sharedCheckpoints, SharedCheckpoints.class));
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new SwarmEventsEndpoint(uri, this, services(), SwarmEventsConsumer::new, (SwarmEventsConfiguration) configuration.copy());
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

    public SharedCheckpoints getSharedCheckpoints() {
        return sharedCheckpoints;
    }

    public void setSharedCheckpoints(SharedCheckpoints sharedCheckpoints) {
        this.sharedCheckpoints = sharedCheckpoints;
    }

    public SwarmEventsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SwarmEventsConfiguration configuration) {
        this.configuration = configuration;
    }
}
