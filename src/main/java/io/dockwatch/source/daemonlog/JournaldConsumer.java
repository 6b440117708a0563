package io.dockwatch.source.daemonlog;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.source.SourceServices;
import io.dockwatch.record.Json;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.DockerSourceConsumer;
import io.dockwatch.source.host.HostName;
import io.dockwatch.spool.Checkpoint;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker unit's journal: {@code journalctl -u docker.service -o json --follow}, resumed with
 * {@code --after-cursor} from the checkpoint {@code daemon-log/journald}. Each entry's cursor
 * travels with its record, so a restart neither loses nor repeats an entry. Without journalctl it
 * says so once and stays idle; when journalctl exits it is started again with backoff.
 */
final class JournaldConsumer extends DockerSourceConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(JournaldConsumer.class);
    static final String CHECKPOINT_KEY = "daemon-log/journald";
    static final String UNIT = "docker.service";
    private static final String JOURNALCTL = "journalctl";
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private volatile boolean running;
    private volatile Process process;
    private Thread reader;

    JournaldConsumer(Endpoint endpoint, Processor processor, SourceServices services) {
        super(endpoint, processor, services);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Path journalctl = onPath(JOURNALCTL);
        if (journalctl == null) {
            LOG.warn("Daemon log off: {}=journald, but journalctl is not installed here", Settings.DAEMON_LOG);
            return;
        }
        running = true;
        reader = new Thread(() -> follow(journalctl), "dockwatch-daemon-log-journald");
        reader.setDaemon(true);
        reader.start();
    }

    static Path onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private List<String> command(Path journalctl) {
        List<String> cmd = new ArrayList<>(List.of(journalctl.toString(), "-u", UNIT, "-o", "json", "--follow"));
        JsonNode saved = services.checkpoints().get(CHECKPOINT_KEY);
        if (saved != null && saved.hasNonNull("cursor")) {
            cmd.add("--after-cursor=" + saved.get("cursor").asText());
            cmd.add("--no-tail");
        } else if (services.settings().choice(Settings.HOST_LOGS_BACKLOG, Settings.LogBacklog.class,
                Settings.LogBacklog::spelling) == Settings.LogBacklog.ALL) {
            cmd.add("--no-tail");
        } else {
            cmd.add("--lines=0");
        }
        return cmd;
    }

    private void follow(Path journalctl) {
        long backoff = 1000;
        boolean warned = false;
        while (running) {
            Path errors = null;
            try {
                errors = Files.createTempFile("dockwatch-journalctl", ".err");
                Process p = new ProcessBuilder(command(journalctl)).redirectError(errors.toFile()).start();
                process = p;
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while (running && (line = in.readLine()) != null) {
                        JsonNode entry = Json.MAPPER.readTree(line);
                        String cursor = JournalEntries.cursor(entry);
                        List<Checkpoint> cp = cursor == null ? List.of()
                                : List.of(new Checkpoint(CHECKPOINT_KEY, Json.NODES.objectNode().put("cursor", cursor)));
                        emit(JournalEntries.toRecord(entry, UNIT, HostName.of(services)), cp);
                        backoff = 1000;
                        warned = false;
                    }
                }
                int rc = p.waitFor();
                if (running && !warned) {
                    String why = Files.readString(errors).trim();
                    LOG.warn("journalctl exited {}{}; following the docker unit again with backoff", rc,
                            why.isEmpty() ? "" : ": " + why.lines().findFirst().orElse(""));
                    warned = true;
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (running && !warned) {
                    LOG.warn("Following the docker unit's journal failed: {}", e.toString());
                    warned = true;
                }
            } finally {
                if (errors != null) {
                    errors.toFile().delete();
                }
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        Process p = process;
        if (p != null) {
            p.destroy();
        }
        if (reader != null) {
            reader.interrupt();
            reader.join(2000);
        }
        super.doStop();
    }
}
