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
 * Chooses, per container, where its log is read: from its json-file log file when this host can
 * read it (the collector runs beside the daemon with its data root readable), through the logs
 * API otherwise (remote daemons, other log drivers, no access). Reading the file spares dockerd
 * decoding its own JSON for us (moby#37471), the largest part of the host's cost of reading logs.
 *
 * <pre>
 *  dockwatch.logs.read   json-file, LogPath readable here     otherwise
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

    public LogFiles(Mode mode) {
        this.mode = mode;
    }

    /** The json-file log to read the container from, or null to read it through the API. */
    public Path fileFor(DockerDaemon daemon, String containerId, JsonNode inspect) {
        String key = daemon.key() + "/" + containerId;
        if (mode == Mode.API) {
            chosen.put(key, API);
            return null;
        }
        String driver = inspect.path("HostConfig").path("LogConfig").path("Type").asText("");
        String logPath = inspect.path("LogPath").asText("");
        String whyNot;
        if (!JSON_FILE_DRIVER.equals(driver)) {
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
            return "logs of json-file containers from their files under " + containers + ", others through the API";
        } catch (DockerApiException e) {
            return "logs from files where readable, else through the API";
        }
    }
}
