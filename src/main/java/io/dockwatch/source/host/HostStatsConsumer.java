package io.dockwatch.source.host;

import io.dockwatch.source.SourceServices;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.DockerSourceConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.dockwatch.source.SourceEndpoint;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the host every interval. The CPU baseline is read at start, so the first record (one
 * interval later) already has a CPU percent. Without a readable {@code <proc>/stat} (not Linux,
 * or the host's proc not mounted) it says so once and stays idle.
 */
final class HostStatsConsumer extends DockerSourceConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(HostStatsConsumer.class);

    private ScheduledExecutorService ticker;
    private ProcHostStats proc;
    private ProcHostStats.CpuTimes lastCpu;
    private boolean warned;

    HostStatsConsumer(SourceEndpoint endpoint, Processor processor, SourceServices services) {
        super(endpoint, processor, services);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Settings settings = services.settings();
        proc = new ProcHostStats(settings.path(Settings.HOST_PROC), settings.path(Settings.HOST_ROOT));
        if (!proc.available()) {
            LOG.warn("Host stats off: {} has no readable stat file ({} must be a Linux proc root)",
                    settings.path(Settings.HOST_PROC), Settings.HOST_PROC);
            return;
        }
        lastCpu = proc.cpu();
        Duration interval = settings.duration(Settings.STATS_INTERVAL);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dockwatch-host-stats");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::sample, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sample() {
        try {
            ProcHostStats.CpuTimes cpu = proc.cpu();
            var record = proc.record(lastCpu, cpu, HostName.of(services), Instant.now());
            lastCpu = cpu;
            emit(record, List.of());
            warned = false;
        } catch (Exception e) {
            if (!warned) {
                LOG.warn("Host stats failed: {}", e.toString());
                warned = true;
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker.awaitTermination(2, TimeUnit.SECONDS);
        }
        super.doStop();
    }
}
