package io.dockwatch.source;

import io.dockwatch.cluster.SharedCheckpoints;
import io.dockwatch.context.ContainerContexts;
import io.dockwatch.docker.DockerDaemons;
import io.dockwatch.docker.OwnExecs;
import io.dockwatch.enrich.ContainerMetadataCache;
import io.dockwatch.observe.Observe;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.logs.file.LogFiles;
import io.dockwatch.spool.Spools;
import io.dockwatch.wiring.ServiceBeans;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * What every source component is given: the shared services, each settable (Camel property
 * binding, {@code #bean} references) and otherwise the one bean of its type in the Camel registry,
 * resolved once when the component starts. Endpoints and consumers get them from here, never from
 * the registry themselves.
 */
public abstract class DockerSourceComponent extends DefaultComponent {
    @Metadata(label = "advanced", autowired = true, description = "The collector's settings (bean dockwatchSettings)")
    private Settings settings;
    @Metadata(label = "advanced", autowired = true, description = "The Docker daemons and their event streams (bean dockerDaemons)")
    private DockerDaemons dockerDaemons;
    @Metadata(label = "advanced", autowired = true, description = "The spools and the sources' checkpoints (bean spools)")
    private Spools spools;
    @Metadata(label = "advanced", autowired = true, description = "The container metadata cache (bean containerMetadata)")
    private ContainerMetadataCache containerMetadata;
    @Metadata(label = "advanced", autowired = true, description = "What was last seen of each container (bean containerContexts)")
    private ContainerContexts containerContexts;
    @Metadata(label = "advanced", autowired = true, description = "Metrics, health and status page (bean observe)")
    private Observe observe;
    @Metadata(label = "advanced", autowired = true, description = "Checkpoints shared in the cluster folder (bean sharedCheckpoints)")
    private SharedCheckpoints sharedCheckpoints;
    @Metadata(label = "advanced", autowired = true, description = "The execs the collector made itself (bean ownExecs)")
    private OwnExecs ownExecs;
    @Metadata(label = "advanced", autowired = true, description = "Where each container's log is read (bean logFiles)")
    private LogFiles logFiles;
    private SourceServices services;

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        var camel = getCamelContext();
        settings = ServiceBeans.resolve(camel, settings, Settings.class);
        dockerDaemons = ServiceBeans.resolve(camel, dockerDaemons, DockerDaemons.class);
        spools = ServiceBeans.resolve(camel, spools, Spools.class);
        containerMetadata = ServiceBeans.resolve(camel, containerMetadata, ContainerMetadataCache.class);
        containerContexts = ServiceBeans.resolve(camel, containerContexts, ContainerContexts.class);
        observe = ServiceBeans.resolve(camel, observe, Observe.class);
        sharedCheckpoints = ServiceBeans.resolve(camel, sharedCheckpoints, SharedCheckpoints.class);
        ownExecs = ServiceBeans.resolve(camel, ownExecs, OwnExecs.class);
        logFiles = ServiceBeans.resolve(camel, logFiles, LogFiles.class);
        services = new SourceServices(settings, dockerDaemons, spools.checkpoints(), containerMetadata,
                containerContexts, observe, sharedCheckpoints, ownExecs, logFiles);
    }

    /** What this component's endpoints and consumers use; set once the component is initialised. */
    protected SourceServices services() {
        return services;
    }

    public Settings getSettings() {
        return settings;
    }

    public void setSettings(Settings settings) {
        this.settings = settings;
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

    public ContainerContexts getContainerContexts() {
        return containerContexts;
    }

    public void setContainerContexts(ContainerContexts containerContexts) {
        this.containerContexts = containerContexts;
    }

    public Observe getObserve() {
        return observe;
    }

    public void setObserve(Observe observe) {
        this.observe = observe;
    }

    public SharedCheckpoints getSharedCheckpoints() {
        return sharedCheckpoints;
    }

    public void setSharedCheckpoints(SharedCheckpoints sharedCheckpoints) {
        this.sharedCheckpoints = sharedCheckpoints;
    }

    public OwnExecs getOwnExecs() {
        return ownExecs;
    }

    public void setOwnExecs(OwnExecs ownExecs) {
        this.ownExecs = ownExecs;
    }

    public LogFiles getLogFiles() {
        return logFiles;
    }

    public void setLogFiles(LogFiles logFiles) {
        this.logFiles = logFiles;
    }
}
