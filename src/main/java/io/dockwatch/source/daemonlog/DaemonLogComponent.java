package io.dockwatch.source.daemonlog;

import io.dockwatch.docker.DockerDaemons;
import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import io.dockwatch.spool.Spools;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;

/**
 * {@code daemon-log:docker[?source=/var/log/docker.log|journald]} — the Docker daemon's own log as
 * {@code daemon.log} records; without {@code source}, {@code dockwatch.daemon.log}. A file is
 * tailed like host logs; {@code journald} follows the docker unit's journal. Idle when empty.
 */
@Component("daemon-log")
public final class DaemonLogComponent extends DockerSourceComponent {
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
    /** The default source of every endpoint: a log file, or journald (unset: dockwatch.daemon.log). */
    @Metadata
    private String source;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        DaemonLogEndpoint endpoint = new DaemonLogEndpoint(uri, this, services());
        endpoint.setSource(source);
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

    public String getSource() {
        return source;
    }

    public void setSource(String source) {
        this.source = source;
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
