package io.dockwatch.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The collector as users run it: {@code java $(cat jvm.options) -jar target/dockwatch.jar}, as a
 * separate process with its own output and state folders, stopped with SIGTERM or killed with
 * SIGKILL. Records are read back from the NDJSON files it wrote.
 */
public final class Collector implements AutoCloseable {
    private final Path work;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Process process;
    private int starts;
    private Path directory;

    public Collector(Path work) {
        this.work = work;
        settings.put("dockwatch.output.dir", work.resolve("out").toString());
        settings.put("dockwatch.state.dir", work.resolve("state").toString());
        settings.put("dockwatch.http.port", "0");
    }

    public Collector with(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** Leaves a setting the harness passes by default (output and state dirs, HTTP port) to the files. */
    public Collector without(String key) {
        settings.remove(key);
        return this;
    }

    /** The working directory the collector starts in (where it reads ./application.properties). */
    public Collector inDirectory(Path dir) {
        directory = dir;
        return this;
    }

    /** An environment variable for the collector process (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, ...). */
    public Collector withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Path work() {
        return work;
    }

    public Path outputDir() {
        String dir = settings.get("dockwatch.output.dir");
        if (dir == null) {
            throw new IllegalStateException("the output dir is left to the collector's files: read them from there");
        }
        return Path.of(dir);
    }

    public static Path jar() {
        return Path.of(System.getProperty("dockwatch.jar", "target/dockwatch.jar")).toAbsolutePath();
    }

    public static List<String> jvmOptions() {
        Path p = jar().getParent().getParent().resolve("jvm.options");
        try {
            return Files.readAllLines(p).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the collector and waits for its start-up summary line. */
    public Collector start() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions());
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar().toString());
        starts++;
        Path log = log();
        try {
            Files.createDirectories(work);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int startNumber = starts;
        try {
            await("collector start-up summary").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("collector exited with " + process.exitValue() + ":\n" + logText());
                        }
                        return count(logText(), "dockwatch collecting") >= startNumber;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // a start that fails inside try-with-resources never reaches close(): do not leave the process behind
            process.destroyForcibly();
            throw new AssertionError("collector did not start within 60 s:\n" + logText(), e);
        }
        return this;
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static final java.util.regex.Pattern BASE_URL =
            java.util.regex.Pattern.compile("Status page, metrics and health on (http://\\S+)");

    /**
     * The collector's own HTTP server, {@code http://127.0.0.1:PORT}: with {@code dockwatch.http.port=0}
     * (the harness default) it picks a free port and logs it at start.
     */
    public String baseUrl() {
        java.util.regex.Matcher m = BASE_URL.matcher(logText());
        String url = null;
        while (m.find()) {
            url = m.group(1); // the latest start's
        }
        if (url == null) {
            throw new AssertionError("collector logged no HTTP address:\n" + logText());
        }
        return url;
    }

    public Path log() {
        return work.resolve("collector.log");
    }

    public String logText() {
        try {
            return Files.exists(log()) ? Files.readString(log()) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, as Docker and systemd stop it; returns the exit code. The contract allows 10 s. */
    public int stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("collector did not stop within 10 s of SIGTERM:\n" + logText());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no flush. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Every record in the output files, in file order; fails on a line that is not a JSON object.
     * While the collector runs, a last line without its newline is a record still being written
     * and is left for the next read; once it has stopped, such a line is a torn record and fails.
     */
    public List<JsonNode> records() {
        return readRecords(outputDir(), isAlive());
    }

    /** The records of a collector that has stopped: every line must be whole. */
    public static List<JsonNode> readRecords(Path dir) {
        return readRecords(dir, false);
    }

    public static List<JsonNode> readRecords(Path dir, boolean stillWriting) {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".ndjson")).sorted().toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                if (stillWriting && !text.isEmpty() && !text.endsWith("\n")) {
                    text = text.substring(0, text.lastIndexOf('\n') + 1);
                }
                for (String line : text.lines().toList()) {
                    JsonNode n = Json.MAPPER.readTree(line);
                    if (n == null || !n.isObject()) {
                        throw new AssertionError("Not a JSON object in " + f + ": " + line);
                    }
                    out.add(n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Complete lines in the output, for a look right after a SIGKILL: the last write may have been
     * cut short (the kernel stops a large write for a fatal signal); the collector cuts such a
     * tail off when it starts again.
     */
    public long completeLines() {
        long n = 0;
        try (Stream<Path> files = Files.list(outputDir())) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".ndjson")).toList()) {
                for (byte b : Files.readAllBytes(f)) {
                    if (b == '\n') {
                        n++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    public List<JsonNode> records(Predicate<JsonNode> filter) {
        return records().stream().filter(filter).toList();
    }

    /** Waits until the output holds at least {@code n} records matching, and returns them. */
    public List<JsonNode> awaitRecords(Predicate<JsonNode> filter, int n, Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200))
                    .until(() -> records(filter).size() >= n);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // what the collector said is usually why: keep it, the temp folder is gone after the test
            String[] lines = logText().split("\n");
            String tail = String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
            throw new AssertionError("Expected " + n + " matching record(s) within " + timeout + ", found "
                    + records(filter).size() + "; collector log (last lines):\n" + tail, e);
        }
        return records(filter);
    }

    /** Record predicates users would filter by. */
    public static Predicate<JsonNode> kind(String kind) {
        return r -> kind.equals(r.path("kind").asText());
    }

    public static Predicate<JsonNode> containerName(String name) {
        return r -> name.equals(r.path("container").path("name").asText());
    }

    public static Predicate<JsonNode> event(String name, String action) {
        return kind("event").and(containerName(name)).and(r -> action.equals(r.path("event").path("action").asText()));
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
