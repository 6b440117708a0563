package io.dockwatch.source.daemonstats;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.source.SourceServices;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.DockerSourceConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.dockwatch.source.SourceEndpoint;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks each daemon for its summary, once at start and then every interval. {@code /system/df}
 * walks every layer, container and volume, which is why it has its own, longer interval; when it
 * fails the record still carries the {@code /info} counts.
 */
final class DaemonStatsConsumer extends DockerSourceConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonStatsConsumer.class);

    private ScheduledExecutorService ticker;
    private final Set<String> warned = new HashSet<>();

    DaemonStatsConsumer(SourceEndpoint endpoint, Processor processor, SourceServices services) {
        super(endpoint, processor, services);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Duration interval = services.settings().duration(Settings.DAEMON_STATS_INTERVAL);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dockwatch-daemon-stats");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::sampleAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sampleAll() {
        for (DockerDaemon daemon : services.daemons()) {
            String key = daemon.endpoint().key();
            try {
                JsonNode info = daemon.get("/info");
                JsonNode df = null;
                try {
                    df = daemon.get("/system/df");
                } catch (DockerApiException e) {
                    LOG.debug("Disk use of {}: {}", daemon.endpoint().uri(), e.getMessage());
                }
                emit(daemon, DaemonStatsRecords.toRecord(info, df, info.path("Name").asText(daemon.hostName()),
                        daemon.endpoint().uri().toString(), Instant.now()), List.of());
                warned.remove(key);
            } catch (DockerApiException | RuntimeException e) {
                if (warned.add(key) && !(e instanceof DockerApiException d && d.isUnreachable())) {
                    LOG.warn("Daemon stats from {} failed: {}", daemon.endpoint().uri(), e.getMessage());
                }
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        ticker.shutdownNow();
        ticker.awaitTermination(2, TimeUnit.SECONDS);
        super.doStop();
    }
}
