package io.dockwatch.source.tail;

import io.dockwatch.source.SourceServices;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.DockerSourceConsumer;
import io.dockwatch.source.host.HostName;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source of records from tailed files ({@code host.log}, {@code daemon.log}): one thread polls
 * the {@link LogFileTailer} every {@value #POLL_MILLIS} ms and sends each batch of lines, with the
 * file's checkpoint, through the route. With no paths it stays idle, so its route can always be
 * there and is switched on by its setting alone.
 */
public final class FileTailConsumer extends DockerSourceConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(FileTailConsumer.class);
    static final long POLL_MILLIS = 500;
    private static final Duration PARTIAL_FLUSH = Duration.ofSeconds(5);
    private static final Duration ROTATE_WAIT = Duration.ofSeconds(5);

    private final Kind kind;
    private final String checkpointPrefix;
    private final List<String> patterns;
    private ScheduledExecutorService poller;
    private LogFileTailer tailer;

    public FileTailConsumer(Endpoint endpoint, Processor processor, SourceServices services, Kind kind,
            String checkpointPrefix, List<String> patterns) {
        super(endpoint, processor, services);
        this.kind = kind;
        this.checkpointPrefix = checkpointPrefix;
        this.patterns = patterns;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (patterns.isEmpty()) {
            LOG.debug("{} idle: no files configured", checkpointPrefix);
            return;
        }
        boolean backlogAll = services.settings().choice(Settings.HOST_LOGS_BACKLOG, Settings.LogBacklog.class,
                Settings.LogBacklog::spelling) == Settings.LogBacklog.ALL;
        tailer = new LogFileTailer(checkpointPrefix, patterns, services.checkpoints(), backlogAll, this::send,
                PARTIAL_FLUSH, ROTATE_WAIT);
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dockwatch-" + checkpointPrefix);
            t.setDaemon(true);
            return t;
        });
        poller.execute(tailer::start);
        poller.scheduleWithFixedDelay(this::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("Tailing {} as {} records", String.join(", ", patterns), kind.value());
    }

    private void poll() {
        try {
            tailer.poll();
        } catch (RuntimeException e) {
            LOG.warn("Tailing {} failed: {}", String.join(", ", patterns), e.toString());
        }
    }

    private boolean send(Path file, List<String> lines, List<io.dockwatch.spool.Checkpoint> checkpoints) {
        // asked per batch: the local daemon's name (the host's, also in a container) may come only later
        String hostName = HostName.of(services);
        Instant now = Instant.now();
        List<Record> records = new ArrayList<>(lines.size());
        for (String line : lines) {
            Record r = Record.of(kind, now);
            r.put(Fields.HOST_NAME, hostName);
            r.put(Fields.MESSAGE, line);
            r.put(Fields.LOG_FILE_PATH, file.toString());
            records.add(r);
        }
        return emit(records, checkpoints);
    }

    @Override
    protected void doStop() throws Exception {
        if (poller != null) {
            poller.shutdown();
            if (!poller.awaitTermination(3, TimeUnit.SECONDS)) {
                poller.shutdownNow();
            }
            tailer.close();
        }
        super.doStop();
    }
}
