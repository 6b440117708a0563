package io.dockwatch.source.logs;

import io.dockwatch.context.ContainerContexts;
import io.dockwatch.docker.DockerDaemons;
import io.dockwatch.enrich.ContainerMetadataCache;
import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import io.dockwatch.source.logs.file.LogFiles;
import io.dockwatch.spool.Spools;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/** {@code docker-logs:all} — stdout and stderr of every accepted container as {@code log} records. */
@Component("docker-logs")
public final class LogsComponent extends DockerSourceComponent {
    @Metadata(label = "advanced", autowired = true, description = "The Docker daemons and their event streams (bean dockerDaemons)")
    private DockerDaemons dockerDaemons;
    @Metadata(label = "advanced", autowired = true, description = "The spools and the sources' checkpoints (bean spools)")
    private Spools spools;
    @Metadata(label = "advanced", autowired = true, description = "The container metadata cache (bean containerMetadata)")
    private ContainerMetadataCache containerMetadata;
    @Metadata(label = "advanced", autowired = true, description = "What was last seen of each container (bean containerContexts)")
    private ContainerContexts containerContexts;
    @Metadata(label = "advanced", autowired = true, description = "Where each container's log is read (bean logFiles)")
    private LogFiles logFiles;
    /** The options every endpoint starts from. */
    @Metadata
    private LogsConfiguration configuration = new LogsConfiguration();

    @Override
    protected SourceServices withServices(SourceServices common) {
        return common
                .withDaemons(dockerDaemons = resolve(dockerDaemons, DockerDaemons.class))
                .withCheckpoints((spools = resolve(spools, Spools.class)).checkpoints())
                .withMetadata(containerMetadata = resolve(containerMetadata, ContainerMetadataCache.class))
                .withContexts(containerContexts = resolve(containerContexts, ContainerContexts.class))
                .withLogFiles(logFiles = resolve(logFiles, LogFiles.class));
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new LogsEndpoint(uri, this, services(), LogsConsumer::new, (LogsConfiguration) configuration.copy());
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

    public LogFiles getLogFiles() {
        return logFiles;
    }

    public void setLogFiles(LogFiles logFiles) {
        this.logFiles = logFiles;
    }

    public LogsConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(LogsConfiguration configuration) {
        this.configuration = configuration;
    }
}
