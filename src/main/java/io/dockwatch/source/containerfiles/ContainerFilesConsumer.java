package io.dockwatch.source.containerfiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import io.dockwatch.DockwatchServices;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.enrich.ContainerMetadata;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.ContainerFilter;
import io.dockwatch.source.DockerSourceConsumer;
import io.dockwatch.source.SourceEndpoint;
import io.dockwatch.spool.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails log files inside "fat" containers, through the Docker API alone so it works on remote
 * daemons: a container labelled {@code dockwatch.logs.files=/var/log/app/*.log} has its folder
 * listed ({@code stat}) and new bytes read ({@code tail | head}) with the exec API every interval,
 * and, once it stops, the rest read from the archive API (which serves stopped containers).
 * Records are {@code log} records with {@code log.file.path}; the per-file (inode, offset)
 * checkpoint travels with them, so a restart neither loses nor repeats a line.
 */
final class ContainerFilesConsumer extends DockerSourceConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerFilesConsumer.class);
    private static final long MAX_READ_BYTES = 1024 * 1024;

    private final Map<String, Followed> followed = new ConcurrentHashMap<>();
    private final List<DaemonEvents.Listener> listeners = new ArrayList<>();
    private ScheduledExecutorService poller;
    private ContainerFilter filter;

    /** One container whose files are followed. */
    private final class Followed {
        final DockerDaemon daemon;
        final String id;
        final String name;
        final List<String> globs;
        final FileTail tail;
        volatile boolean broken;

        Followed(DockerDaemon daemon, String id, String name, List<String> globs) {
            this.daemon = daemon;
            this.id = id;
            this.name = name;
            this.globs = globs;
            this.tail = new FileTail(globs, services.checkpoints().get(checkpointKey()));
        }

        String checkpointKey() {
            return "logfiles/" + daemon.key() + "/" + id;
        }
    }

    ContainerFilesConsumer(SourceEndpoint endpoint, Processor processor, DockwatchServices services) {
        super(endpoint, processor, services);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        filter = ContainerFilter.from(services.settings());
        long intervalMs = services.settings().duration(Settings.LOGS_FILES_INTERVAL).toMillis();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dockwatch-container-files");
            t.setDaemon(true);
            return t;
        });
        for (DockerDaemon daemon : services.daemons()) {
            DaemonEvents events = services.events(daemon);
            DaemonEvents.Listener l = new DaemonEvents.Listener() {
                @Override
                public void onEvent(JsonNode ev, JsonNode position) {
                    if (!"container".equals(ev.path("Type").asText())) {
                        return;
                    }
                    String id = ev.path("Actor").path("ID").asText();
                    switch (ev.path("Action").asText()) {
                        case "start" -> poller.execute(() -> consider(daemon, id));
                        case "die" -> poller.execute(() -> finish(daemon, id));
                        default -> {
                            // nothing to do for other actions
                        }
                    }
                }

                @Override
                public void onConnected(boolean reconnect) {
                    poller.execute(() -> scan(daemon));
                }
            };
            events.addListener(l);
            listeners.add(l);
            startEventsWhenReady(events);
        }
        poller.scheduleWithFixedDelay(this::pollAll, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        int i = 0;
        for (DockerDaemon daemon : services.daemons()) {
            if (i < listeners.size()) {
                services.events(daemon).removeListener(listeners.get(i++));
            }
        }
        listeners.clear();
        poller.shutdownNow();
        poller.awaitTermination(3, TimeUnit.SECONDS);
        followed.clear();
        super.doStop();
    }

    private void scan(DockerDaemon daemon) {
        try {
            for (JsonNode c : daemon.get("/containers/json?filters=" + java.net.URLEncoder.encode(
                    "{\"label\":[\"" + Fields.LABEL_LOG_FILES + "\"]}", java.nio.charset.StandardCharsets.UTF_8))) {
                consider(daemon, c.path("Id").asText());
            }
        } catch (DockerApiException e) {
            if (isRunAllowed()) { // a stop cancels requests in flight: nothing to report then
                LOG.warn("Listing containers with {} on {} failed: {}", Fields.LABEL_LOG_FILES, daemon.endpoint().uri(), e.getMessage());
            }
        }
    }

    private void consider(DockerDaemon daemon, String id) {
        ContainerMetadata meta = services.metadata().get(daemon, id);
        if (meta == null || !filter.accepts(meta)) {
            return;
        }
        String label = meta.label(Fields.LABEL_LOG_FILES);
        if (label == null || label.isBlank()) {
            return;
        }
        List<String> globs = Arrays.stream(label.split(",")).map(String::trim).filter(s -> s.startsWith("/")).toList();
        if (globs.isEmpty()) {
            LOG.warn("Container {}: label {}={} names no absolute path; ignored", meta.name(), Fields.LABEL_LOG_FILES, label);
            return;
        }
        followed.computeIfAbsent(daemon.key() + "/" + id, k -> new Followed(daemon, id, meta.name(), globs));
    }

    private void pollAll() {
        for (Followed f : followed.values()) {
            if (!f.broken && isRunAllowed()) {
                try {
                    poll(f);
                } catch (Exec.ExecFailed e) {
                    f.broken = true;
                    LOG.warn("Container {}: cannot read its log files through the exec API ({}); it needs sh, stat, tail "
                            + "and head. Other containers are not affected.", f.name, e.getMessage());
                } catch (IOException | RuntimeException e) {
                    LOG.debug("Container {}: log files not read this time: {}", f.name, e.toString());
                }
            }
        }
    }

    private void poll(Followed f) throws IOException {
        StringBuilder script = new StringBuilder("for d in");
        for (String dir : FileTail.folders(f.globs)) {
            script.append(' ').append(quote(dir));
        }
        script.append("; do for f in \"$d\"/* \"$d\"/.[!.]*; do [ -f \"$f\" ] && stat -c '%i %s %n' \"$f\"; done; done; true");
        List<FileTail.Listed> listing = FileTail.parseListing(Exec.run(f.daemon, f.id, "sh", "-c", script.toString(), Exec.OWN_COMMAND_MARK));
        LOG.debug("Container {}: files {}", f.name, listing);
        for (FileTail.Read read : f.tail.plan(listing, MAX_READ_BYTES)) {
            LOG.debug("Container {}: reading {}", f.name, read);
            byte[] data = Exec.run(f.daemon, f.id, "sh", "-c",
                    "tail -c +" + (read.offset() + 1) + " " + quote(read.currentPath()) + " | head -c " + read.length(),
                    Exec.OWN_COMMAND_MARK);
            emit(f, read, f.tail.consume(read, data));
        }
    }

    /** The container stopped: the exec API no longer works, the archive API still serves its files. */
    private void finish(DockerDaemon daemon, String id) {
        Followed f = followed.remove(daemon.key() + "/" + id);
        if (f == null || f.broken) {
            return;
        }
        try {
            List<FileTail.Listed> listing = new ArrayList<>();
            for (String path : f.tail.knownPaths()) {
                byte[] content = archivedFile(daemon, id, path);
                if (content != null) {
                    listing.add(new FileTail.Listed(f.tail.inodeOf(path), content.length, path));
                    for (FileTail.Read read : f.tail.plan(listing, Long.MAX_VALUE)) {
                        if (read.currentPath().equals(path)) {
                            byte[] rest = Arrays.copyOfRange(content, (int) read.offset(), content.length);
                            emit(f, read, f.tail.consume(read, rest));
                        }
                    }
                    listing.clear();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Container {}: last lines of its log files not read: {}", f.name, e.toString());
        }
    }

    /** One file from {@code GET /containers/{id}/archive}: a tar stream with a single entry. */
    private static byte[] archivedFile(DockerDaemon daemon, String id, String path) throws IOException {
        try (Response r = daemon.stream("/containers/" + id + "/archive?path="
                + java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8))) {
            InputStream in = r.getBody();
            byte[] header = in.readNBytes(512);
            if (header.length < 512) {
                return null;
            }
            long size = Long.parseLong(new String(header, 124, 11, java.nio.charset.StandardCharsets.US_ASCII).trim(), 8);
            return in.readNBytes((int) Math.min(size, Integer.MAX_VALUE - 8));
        } catch (DockerApiException e) {
            return null;
        }
    }

    private void emit(Followed f, FileTail.Read read, List<String> lines) {
        List<Record> records = new ArrayList<>(lines.size());
        String now = Record.rfc3339(Instant.now());
        for (String line : lines) {
            Record r = Record.of(Kind.LOG, now);
            r.put(Fields.HOST_NAME, f.daemon.hostName());
            r.put(Fields.HOST_ENDPOINT, f.daemon.endpointText());
            r.put(Fields.CONTAINER_ID, f.id);
            r.put(Fields.MESSAGE, line);
            r.put(Fields.LOG_FILE_PATH, read.recordPath());
            records.add(r);
        }
        emit(f.daemon, records, List.of(new Checkpoint(f.checkpointKey(), f.tail.checkpoint())));
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
