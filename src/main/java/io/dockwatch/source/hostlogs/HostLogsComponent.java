package io.dockwatch.source.hostlogs;

import io.dockwatch.docker.DockerDaemons;
import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import io.dockwatch.spool.Spools;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/**
 * {@code host-logs:files[?paths=/var/log/*.log,/srv/app.log]} — tails host log files as
 * {@code host.log} records; without {@code paths}, those of {@code dockwatch.host.logs}. Idle when
 * there are none.
 */
@Component("host-logs")
public final class HostLogsComponent extends DockerSourceComponent {
    @Metadata(label = "advanced", autowired = true, description = "The spools and the sources' checkpoints (bean spools)")
    private Spools spools;
    // the host name in every record comes from the daemons (HostName.of)
    @Metadata(label = "advanced", autowired = true, description = "The Docker daemons and their event streams (bean dockerDaemons)")
    private DockerDaemons dockerDaemons;

    @Override
    protected SourceServices withServices(SourceServices common) {
        return common
                .withCheckpoints((spools = resolve(spools, Spools.class)).checkpoints())
                .withDaemons(dockerDaemons = resolve(dockerDaemons, DockerDaemons.class));
    }
    /** The default paths of every endpoint: files or glob patterns, comma-separated (unset: dockwatch.host.logs). */
    @Metadata
    private String paths;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        HostLogsEndpoint endpoint = new HostLogsEndpoint(uri, this, services());
        endpoint.setPaths(paths);
        endpoint.setBacklog(backlog);
        return endpoint;
    }

    /** The default backlog of every endpoint: all or none (unset: dockwatch.host.logs.backlog). Setting: dockwatch.host.logs.backlog. */
    @Metadata(enums = "all,none")
    private String backlog;

    public String getBacklog() {
        return backlog;
    }

    public void setBacklog(String backlog) {
        this.backlog = backlog;
    }

    public String getPaths() {
        return paths;
    }

    public void setPaths(String paths) {
        this.paths = paths;
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
}
