package io.dockwatch.source.events;

import io.dockwatch.context.ContainerContexts;
import io.dockwatch.docker.DockerDaemons;
import io.dockwatch.docker.OwnExecs;
import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import io.dockwatch.spool.Spools;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/**
 * {@code docker-events:all[?types=container,image][&scope=local|swarm]} — every daemon's events as
 * {@code event} records; {@code scope} keeps only Docker's {@code local} or {@code swarm} events.
 * Options set here ({@code camel.component.docker-events.*}) are every endpoint's defaults.
 */
@Component("docker-events")
public final class EventsComponent extends DockerSourceComponent {
    @Metadata(label = "advanced", autowired = true, description = "The Docker daemons and their event streams (bean dockerDaemons)")
    private DockerDaemons dockerDaemons;
    @Metadata(label = "advanced", autowired = true, description = "The spools and the sources' checkpoints (bean spools)")
    private Spools spools;
    @Metadata(label = "advanced", autowired = true, description = "What was last seen of each container (bean containerContexts)")
    private ContainerContexts containerContexts;
    @Metadata(label = "advanced", autowired = true, description = "The execs the collector made itself (bean ownExecs)")
    private OwnExecs ownExecs;

    @Override
    protected SourceServices withServices(SourceServices common) {
        return common
                .withDaemons(dockerDaemons = resolve(dockerDaemons, DockerDaemons.class))
                .withCheckpoints((spools = resolve(spools, Spools.class)).checkpoints())
                .withContexts(containerContexts = resolve(containerContexts, ContainerContexts.class))
                .withOwnExecs(ownExecs = resolve(ownExecs, OwnExecs.class));
    }
    /** Docker's scope of events that concern one daemon only (containers, images, networks, volumes...). */
    static final String LOCAL_SCOPE = "local";

    /** The default types of every endpoint: Docker's event types to keep, comma-separated (empty: all). */
    @Metadata
    private String types;
    /** The default scope of every endpoint: local or swarm (empty: both, or local when dockwatch.swarm.events is on). */
    @Metadata(enums = "local,swarm")
    private String scope;
    /** The default backlog of every endpoint: none or all (unset: dockwatch.events.backlog). Setting: dockwatch.events.backlog. */
    @Metadata(enums = "none,all")
    private String backlog;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        EventsEndpoint endpoint = new EventsEndpoint(uri, this, services());
        endpoint.setTypes(types);
        endpoint.setScope(scope);
        endpoint.setBacklog(backlog);
        return endpoint;
    }

    public String getTypes() {
        return types;
    }

    public void setTypes(String types) {
        this.types = types;
    }

    public String getScope() {
        return scope;
    }

    public void setScope(String scope) {
        this.scope = scope;
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

    public ContainerContexts getContainerContexts() {
        return containerContexts;
    }

    public void setContainerContexts(ContainerContexts containerContexts) {
        this.containerContexts = containerContexts;
    }

    public OwnExecs getOwnExecs() {
        return ownExecs;
    }

    public void setOwnExecs(OwnExecs ownExecs) {
        this.ownExecs = ownExecs;
    }

    public String getBacklog() {
        return backlog;
    }

    public void setBacklog(String backlog) {
        this.backlog = backlog;
    }
}
