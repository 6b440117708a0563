package io.dockwatch.source.containerfiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import io.dockwatch.source.SourceServices;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.enrich.ContainerMetadata;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Json;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.ContainerFilter;
import io.dockwatch.source.DockerSourceConsumer;
import io.dockwatch.source.SourceEndpoint;
import io.dockwatch.spool.Checkpoint;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * and, once it stops, the rest read from the archive API (which serves stopped containers); both
 * are streamed in bounded pieces ({@link FileTail.Lines}), at most {@link #MAX_READ_BYTES} per file
 * and poll while it runs. Its checkpoint is dropped when the container is destroyed.
 * Records are {@code log} records with {@code log.file.path}; the per-file (inode, offset)
 * checkpoint travels with them, so a restart neither loses nor repeats a line.
 */
final class ContainerFilesConsumer extends DockerSourceConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerFilesConsumer.class);
    /**
     * Bytes read from one file in one poll, streamed in pieces; a file that grew by more is read
     * on from there at the next poll.
     */
    private static final long MAX_READ_BYTES = 8L * 1024 * 1024;

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
        boolean tooManyFilesLogged;

        Followed(DockerDaemon daemon, String id, String name, List<String> globs) {
            this.daemon = daemon;
            this.id = id;
            this.name = name;
            this.globs = globs;
            this.tail = new FileTail(globs, services.checkpoints().get(checkpointKey()));
        }

        String checkpointKey() {
            return checkpointPrefix(daemon) + id;
        }
    }

    ContainerFilesConsumer(SourceEndpoint endpoint, Processor processor, SourceServices services) {
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
                        case "destroy" -> poller.execute(() -> forget(daemon, id));
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
            for (JsonNode c : daemon.get("/containers/json?filters=" + URLEncoder.encode(
                    "{\"label\":[\"" + Fields.LABEL_LOG_FILES + "\"]}", StandardCharsets.UTF_8))) {
                consider(daemon, c.path("Id").asText());
            }
            forgetRemovedWhileAway(daemon);
        } catch (DockerApiException e) {
            if (isRunAllowed()) { // a stop cancels requests in flight: nothing to report then
                LOG.warn("Listing containers with {} on {} failed: {}", Fields.LABEL_LOG_FILES, daemon.endpoint().uri(), e.getMessage());
            }
        }
    }

    private static String checkpointPrefix(DockerDaemon daemon) {
        return "logfiles/" + daemon.key() + "/";
    }

    /** The container is gone: its file positions are of no use any more. */
    private void forget(DockerDaemon daemon, String id) {
        followed.remove(daemon.key() + "/" + id);
        String key = checkpointPrefix(daemon) + id;
        if (services.checkpoints().get(key) != null) {
            emit(daemon, null, List.of(new Checkpoint(key, Json.NODES.nullNode())));
        }
    }

    /** Checkpoints of containers removed while the collector was not looking (stopped, or the link down). */
    private void forgetRemovedWhileAway(DockerDaemon daemon) throws DockerApiException {
        Map<String, JsonNode> saved = services.checkpoints().withPrefix(checkpointPrefix(daemon));
        if (saved.isEmpty()) {
            return;
        }
        Set<String> existing = new HashSet<>();
        daemon.get("/containers/json?all=1").forEach(c -> existing.add(c.path("Id").asText()));
        for (String key : saved.keySet()) {
            String id = key.substring(checkpointPrefix(daemon).length());
            if (!existing.contains(id)) {
                forget(daemon, id);
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
        FileTail.Listing listing = f.tail.listing();
        Exec.shell(f.daemon, services.ownExecs(), f.id, script.toString(), listing);
        if (listing.dropped > 0 && !f.tooManyFilesLogged) {
            f.tooManyFilesLogged = true;
            LOG.warn("Container {}: more than {} files match {}; {} of them are not read", f.name, FileTail.MAX_LISTED_FILES,
                    f.globs, listing.dropped);
        }
        LOG.debug("Container {}: files {}", f.name, listing.files);
        for (FileTail.Read read : f.tail.plan(listing.files, MAX_READ_BYTES)) {
            LOG.debug("Container {}: reading {}", f.name, read);
            FileTail.Lines lines = f.tail.lines(read, (r, batch) -> emit(f, r, batch));
            Exec.shell(f.daemon, services.ownExecs(), f.id,
                    "tail -c +" + (read.offset() + 1) + " " + quote(read.currentPath()) + " | head -c " + read.length(), lines);
            lines.finish(false);
        }
    }

    /**
     * The container stopped: the exec API no longer works, the archive API still serves its files.
     * Each folder comes as one tar stream, read entry by entry; a followed file is read from its
     * offset to its end and every other entry skipped, so no file is ever held whole.
     */
    private void finish(DockerDaemon daemon, String id) {
        Followed f = followed.remove(daemon.key() + "/" + id);
        if (f == null || f.broken) {
            return;
        }
        try {
            for (String folder : FileTail.folders(f.globs)) {
                if (folder.equals("/")) {
                    for (String path : f.tail.knownPaths()) {
                        if (path.lastIndexOf('/') == 0) {
                            readArchived(f, path, "/");
                        }
                    }
                } else {
                    readArchived(f, folder, folder.substring(0, folder.lastIndexOf('/') + 1));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Container {}: last lines of its log files not read: {}", f.name, e.toString());
        }
    }

    /** Reads the followed files in {@code GET /containers/{id}/archive?path=PATH}; entry names are relative to {@code parent}. */
    private void readArchived(Followed f, String path, String parent) throws IOException {
        try (Response r = f.daemon.stream("/containers/" + f.id + "/archive?path="
                + URLEncoder.encode(path, StandardCharsets.UTF_8))) {
            TarEntries tar = new TarEntries(r.getBody());
            byte[] piece = new byte[Exec.CHUNK];
            for (TarEntries.Entry e = tar.next(); e != null; e = tar.next()) {
                String file = parent + e.name();
                if (!e.isFile() || !f.tail.matches(file)) {
                    continue;
                }
                List<FileTail.Listed> listed = List.of(new FileTail.Listed(f.tail.inodeOf(file), e.size(), file));
                for (FileTail.Read read : f.tail.plan(listed, Long.MAX_VALUE)) {
                    tar.skip(read.offset());
                    FileTail.Lines lines = f.tail.lines(read, (rd, batch) -> emit(f, rd, batch));
                    for (int n = tar.read(piece, 0, piece.length); n >= 0; n = tar.read(piece, 0, piece.length)) {
                        lines.write(piece, 0, n);
                    }
                    lines.finish(true);
                }
            }
        } catch (DockerApiException e) {
            if (!e.isNotFound()) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    private boolean emit(Followed f, FileTail.Read read, List<String> lines) {
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
        return emit(f.daemon, records, List.of(new Checkpoint(f.checkpointKey(), f.tail.checkpoint())));
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
