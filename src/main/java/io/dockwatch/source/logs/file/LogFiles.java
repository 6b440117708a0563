package io.dockwatch.source.logs.file;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses, per container, where its log is read: from its log files when this host can read them
 * (the collector runs beside the daemon with its data root readable) and its driver is
 * {@code json-file} ({@link JsonFileLog}) or {@code local} ({@link LocalLog}), through the logs
 * API otherwise (remote daemons, other log drivers, no access). Reading the file spares dockerd
 * decoding its own files for us (moby#37471), the largest part of the host's cost of reading logs.
 *
 * <pre>
 *  dockwatch.logs.read   json-file or local, file readable here   otherwise
 *  auto (default)        file                                 API
 *  file                  file                                 API, with a warning per container
 *  api                   API                                  API
 * </pre>
 */
public final class LogFiles {
    private static final Logger LOG = LoggerFactory.getLogger(LogFiles.class);
    public static final String FILE = "file";
    public static final String API = "api";
    static final String JSON_FILE_DRIVER = "json-file";

    /** {@code dockwatch.logs.read}. */
    public enum Mode {
        AUTO("auto"), API("api"), FILE("file");

        private final String spelling;

        Mode(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }
    }

    private final Mode mode;
    /** daemon key + "/" + container id → {@link #FILE} or {@link #API}: the status page's column. */
    private final Map<String, String> chosen = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    /** Log driver → damaged places skipped in its files (the metric dockwatch_log_file_damaged_total). */
    private final Map<String, java.util.concurrent.atomic.LongAdder> damaged = new ConcurrentHashMap<>();

    public LogFiles(Mode mode) {
        this.mode = mode;
    }

    /**
     * The live log file to read the container from (json-file's or the local driver's), or null to
     * read it through the API.
     */
    public Path fileFor(DockerDaemon daemon, String containerId, JsonNode inspect) {
        String key = daemon.key() + "/" + containerId;
        if (mode == Mode.API) {
            chosen.put(key, API);
            return null;
        }
        String driver = inspect.path("HostConfig").path("LogConfig").path("Type").asText("");
        String logPath = inspect.path("LogPath").asText("");
        String whyNot;
        if (LocalLog.DRIVER.equals(driver)) {
            whyNot = localLogWhyNot(containerId, inspect);
            if (whyNot == null) {
                chosen.put(key, FILE);
                return localLogFile(containerId, inspect);
            }
        } else if (!JSON_FILE_DRIVER.equals(driver)) {
            whyNot = "its log driver is " + (driver.isEmpty() ? "unknown" : driver);
        } else if (logPath.isEmpty()) {
            whyNot = "inspect gives no LogPath";
        } else {
            Path p = Path.of(logPath);
            // a remote daemon's path may exist here too, for another daemon: the file is named by the container's ID
            if (!p.getFileName().toString().startsWith(containerId)) {
                whyNot = "its LogPath is not named after it";
            } else if (!canOpen(p)) {
                whyNot = logPath + " cannot be read here";
            } else {
                chosen.put(key, FILE);
                return p;
            }
        }
        chosen.put(key, API);
        if (mode == Mode.FILE && warned.add(key)) {
            LOG.warn("Reading the log of {} through the API although dockwatch.logs.read=file: {}", containerId, whyNot);
        }
        return null;
    }

    /**
     * The local driver's file: inspect gives no LogPath for it (moby keeps the file out of the API,
     * daemon/container.go), it is {@code <data-root>/containers/<id>/local-logs/container.log}. The
     * containers folder is found from the container's {@code HostnamePath}, in the same folder
     * (that of another container for {@code --network container:...}: its parent is the same).
     */
    private static Path localLogFile(String containerId, JsonNode inspect) {
        String hostname = inspect.path("HostnamePath").asText("");
        if (hostname.isEmpty()) {
            return null;
        }
        Path containerDir = Path.of(hostname).getParent();
        if (containerDir == null || containerDir.getParent() == null) {
            return null;
        }
        return LocalLog.liveFile(containerDir.getParent().resolve(containerId));
    }

    /** Why the local driver's file of the container is not read here, or null if it is. */
    private static String localLogWhyNot(String containerId, JsonNode inspect) {
        Path p = localLogFile(containerId, inspect);
        if (p == null) {
            return "inspect gives no HostnamePath to find its local log by";
        }
        // the path holds the container's 64-hex ID: on this host it can only be this container's
        if (!canOpen(p)) {
            return p + " cannot be read here";
        }
        try {
            if (!LocalLog.looksLikeLocalFormat(p)) {
                return p + " is not in the local driver's format known here (the engine's format changed?)";
            }
        } catch (IOException e) {
            return p + " cannot be read here: " + e;
        }
        return null;
    }

    /** Opens the log chosen by {@link #fileFor} at {@code start}. */
    public LogFileReader open(Path live, boolean tty, int maxLineBytes, JsonFileLog.Start start, LineSink sink)
            throws IOException {
        if (LocalLog.isLocalLog(live)) {
            return LocalLog.open(live, tty, maxLineBytes, start, sink, what -> damaged(LocalLog.DRIVER, what));
        }
        return JsonFileLog.open(live, tty, maxLineBytes, start, sink);
    }

    private void damaged(String driver, String what) {
        damaged.computeIfAbsent(driver, d -> new java.util.concurrent.atomic.LongAdder()).increment();
        LOG.warn("Skipped {}: not the {} driver's format (a torn write, or a damaged file)", what, driver);
    }

    /** Log driver → damaged places skipped in its files so far. */
    public Map<String, Long> damagedPlaces() {
        Map<String, Long> m = new HashMap<>();
        damaged.forEach((d, n) -> m.put(d, n.sum()));
        return m;
    }

    /**
     * Whether this process can open the file or list the folder. Not {@link Files#isReadable}: it
     * asks access(2), which for a non-root user ignores capabilities, so the image's unprivileged
     * collector given CAP_DAC_READ_SEARCH would be told no while open(2) succeeds.
     */
    static boolean canOpen(Path p) {
        try {
            if (Files.isDirectory(p)) {
                try (DirectoryStream<Path> listing = Files.newDirectoryStream(p)) {
                    listing.iterator().hasNext();
                }
            } else {
                FileChannel.open(p, StandardOpenOption.READ).close();
            }
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    public void forget(DockerDaemon daemon, String containerId) {
        chosen.remove(daemon.key() + "/" + containerId);
        warned.remove(daemon.key() + "/" + containerId);
    }

    /** daemon key + "/" + container id → {@link #FILE} or {@link #API}. */
    public Map<String, String> chosen() {
        return new HashMap<>(chosen);
    }

    /** For the start-up line: how this daemon's container logs are read. */
    public String describe(DockerDaemon daemon) {
        if (mode == Mode.API) {
            return "logs through the API (dockwatch.logs.read=api)";
        }
        try {
            String root = daemon.get("/info").path("DockerRootDir").asText("");
            Path containers = Path.of(root.isEmpty() ? "/var/lib/docker" : root, "containers");
            if (!Files.isDirectory(containers) || !canOpen(containers)) {
                return "logs through the API (" + containers + " cannot be read here)";
            }
            // the same path may exist here for another daemon (a remote one): look at one of its containers
            JsonNode some = daemon.get("/containers/json?all=1&limit=1");
            if (some.size() > 0) {
                String id = some.get(0).path("Id").asText();
                String logPath = daemon.get("/containers/" + id + "/json").path("LogPath").asText("");
                if (!logPath.isEmpty() && !canOpen(Path.of(logPath))) {
                    return "logs through the API (its log files are not on this host)";
                }
            }
            return "logs of json-file and local containers from their files under " + containers + ", others through the API";
        } catch (DockerApiException e) {
            return "logs from files where readable, else through the API";
        }
    }
}
