package io.dockwatch.source.daemonlog;

import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import io.dockwatch.settings.Settings;
import java.util.Map;
import org.apache.camel.Endpoint;

/**
 * {@code daemon-log:docker[?source=/var/log/docker.log|journald]} — the Docker daemon's own log as
 * {@code daemon.log} records; without {@code source}, {@code dockwatch.daemon.log}. A file is
 * tailed like host logs; {@code journald} follows the docker unit's journal. Idle when empty.
 */
public final class DaemonLogComponent extends DockerSourceComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        SourceServices services = services();
        String source = getAndRemoveParameter(parameters, "source", String.class, "");
        return new DaemonLogEndpoint(uri, this, services,
                source.isBlank() ? services.settings().string(Settings.DAEMON_LOG) : source.trim());
    }
}
