package io.dockwatch.cluster;

import io.dockwatch.settings.Settings;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;

/**
 * Leader election for the {@code master:} routes. Unless the runtime already has a Camel cluster
 * service (ZooKeeper, Consul, Kubernetes leases), a file-lock one is registered on
 * {@link Settings#clusterDir()}: collectors that share that folder elect one leader; a lone
 * collector with its own folder always leads, so the same routes run in both topologies.
 */
public final class ClusterSetup {
    /** A follower considers the leader gone after this many missed lock renewals. */
    static final int MISSED_RENEWALS = 3;

    private ClusterSetup() {
    }

    /** Registers the file-lock cluster service before the routes are created. */
    public static void register(CamelContext camel, Settings settings) throws Exception {
        if (!camel.hasServices(CamelClusterService.class).isEmpty()) {
            return;
        }
        long intervalMs = settings.duration(Settings.CLUSTER_INTERVAL).toMillis();
        FileLockClusterService service = new FileLockClusterService();
        // the member ID shows in Camel's leadership log lines: say which process holds the lock
        service.setId("dockwatch-" + ManagementFactory.getRuntimeMXBean().getName());
        service.setRoot(settings.clusterDir().resolve("locks").toAbsolutePath().toString());
        service.setAcquireLockDelay(intervalMs, TimeUnit.MILLISECONDS);
        service.setAcquireLockInterval(intervalMs, TimeUnit.MILLISECONDS);
        service.setHeartbeatTimeoutMultiplier(MISSED_RENEWALS);
        camel.addService(service);
    }
}
