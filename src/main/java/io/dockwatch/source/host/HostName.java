package io.dockwatch.source.host;

import io.dockwatch.source.SourceServices;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.settings.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code host.name} of host records. In a container the collector's own hostname is the
 * container's, so the local Docker daemon's {@code Name} (the host's hostname) is preferred; then
 * the kernel's hostname under the proc root; then what Java resolves.
 */
public final class HostName {
    private HostName() {
    }

    public static String of(SourceServices services) {
        for (DockerDaemon d : services.daemons()) {
            if ("unix".equals(d.endpoint().uri().getScheme()) && d.identity() != null && d.identity().name() != null) {
                return d.identity().name();
            }
        }
        Path kernel = services.settings().path(Settings.HOST_PROC).resolve("sys/kernel/hostname");
        try {
            if (Files.isReadable(kernel)) {
                return Files.readString(kernel).trim();
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
