package io.dockwatch.source.daemonlog;

import io.dockwatch.DockwatchServices;
import io.dockwatch.settings.Settings;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code daemon-log:docker[?source=/var/log/docker.log|journald]} — the Docker daemon's own log as
 * {@code daemon.log} records; without {@code source}, {@code dockwatch.daemon.log}. A file is
 * tailed like host logs; {@code journald} follows the docker unit's journal. Idle when empty.
 */
public final class DaemonLogComponent extends DefaultComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        DockwatchServices services = DockwatchServices.of(getCamelContext());
        String source = getAndRemoveParameter(parameters, "source", String.class, "");
        return new DaemonLogEndpoint(uri, this, services,
                source.isBlank() ? services.settings().string(Settings.DAEMON_LOG) : source.trim());
    }
}
