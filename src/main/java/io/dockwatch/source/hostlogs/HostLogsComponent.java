package io.dockwatch.source.hostlogs;

import io.dockwatch.source.DockerSourceComponent;
import io.dockwatch.source.SourceServices;
import io.dockwatch.settings.Settings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.camel.Endpoint;

/**
 * {@code host-logs:files[?paths=/var/log/*.log,/srv/app.log]} — tails host log files as
 * {@code host.log} records; without {@code paths}, those of {@code dockwatch.host.logs}. Idle when
 * there are none.
 */
public final class HostLogsComponent extends DockerSourceComponent {
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        SourceServices services = services();
        String paths = getAndRemoveParameter(parameters, "paths", String.class, "");
        List<String> patterns = paths.isBlank() ? services.settings().list(Settings.HOST_LOGS)
                : Arrays.stream(paths.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new HostLogsEndpoint(uri, this, services, patterns);
    }
}
