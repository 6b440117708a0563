package io.dockwatch.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every {@code dockwatch.*} setting: the jar's built-in {@code application.properties}, then the
 * user's {@code ./application.properties}, then the upper-snake environment variable
 * ({@code DOCKWATCH_OUTPUT_DIR}), then the JVM property ({@code -Ddockwatch.output.dir}), the most
 * specific winning. Typed getters validate, so a bad
 * value fails start-up with one line naming the key, the value and what is allowed.
 */
public final class Settings {

    public static final String DOCKER_HOSTS = "dockwatch.docker.hosts";
    /** A request to Docker that gets no answer byte for this long fails (and a stream without its response head). */
    public static final String DOCKER_TIMEOUT = "dockwatch.docker.timeout";
    /** How often a tcp:// daemon is pinged; a ping without an answer within it marks the link dead. */
    public static final String DOCKER_PING_INTERVAL = "dockwatch.docker.ping.interval";
    public static final String ROUTES = "dockwatch.routes";
    public static final String OUTPUT_DIR = "dockwatch.output.dir";
    public static final String STATE_DIR = "dockwatch.state.dir";
    public static final String STATS_INTERVAL = "dockwatch.stats.interval";
    public static final String HOST_PROC = "dockwatch.host.proc";
    public static final String HOST_LOGS = "dockwatch.host.logs";
    public static final String DAEMON_LOG = "dockwatch.daemon.log";
    public static final String STATS_CONCURRENCY = "dockwatch.stats.concurrency";
    /** Stats requests in flight at most: each is a socket to dockerd for about a second. */
    public static final int MAX_STATS_CONCURRENCY = 4096;
    public static final String DAEMON_STATS_INTERVAL = "dockwatch.daemon.stats.interval";
    public static final String HOST_ROOT = "dockwatch.host.root";
    public static final String HOST_LOGS_BACKLOG = "dockwatch.host.logs.backlog";
    public static final String CONTAINERS_INCLUDE = "dockwatch.containers.include";
    public static final String CONTAINERS_EXCLUDE = "dockwatch.containers.exclude";
    public static final String CONFIG_ENV_ALLOW = "dockwatch.config.env.allow";
    public static final String EVENTS_BACKLOG = "dockwatch.events.backlog";
    public static final String LOGS_BACKLOG = "dockwatch.logs.backlog";
    public static final String LOGS_MULTILINE_START = "dockwatch.logs.multiline.start";
    public static final String LOGS_MULTILINE_TIMEOUT = "dockwatch.logs.multiline.timeout";
    public static final String LOGS_FILES_INTERVAL = "dockwatch.logs.files.interval";
    public static final String LOGS_READ = "dockwatch.logs.read";
    public static final String CONTEXT_LINES = "dockwatch.context.lines";
    /** How long a workload's last configuration is kept for drift once its last container is destroyed. */
    public static final String DRIFT_RETENTION = "dockwatch.drift.retention";
    /** How often the container list is compared with what the collector keeps (for events Docker dropped). */
    public static final String CONTAINERS_RECONCILE_INTERVAL = "dockwatch.containers.reconcile.interval";
    public static final String SPOOL_MAX_BYTES = "dockwatch.spool.max.bytes";
    public static final String SPOOL_OVERFLOW = "dockwatch.spool.overflow";
    /** How often at most the spool's writes are forced to disk (group commit); 0: at every flush. */
    public static final String STATE_SYNC_INTERVAL = "dockwatch.state.sync.interval";
    public static final String HTTP_HOST = "dockwatch.http.host";
    public static final String HTTP_PORT = "dockwatch.http.port";
    public static final String HTTP_TOKEN = "dockwatch.http.token";
    /** The token read from a file (a Docker secret), instead of {@link #HTTP_TOKEN} in the environment. */
    public static final String HTTP_TOKEN_FILE = "dockwatch.http.token.file";
    public static final String HEALTH_DAEMON_DOWN_AFTER = "dockwatch.health.daemon.down.after";
    public static final String HEALTH_SINK_DOWN_AFTER = "dockwatch.health.sink.down.after";
    /** Folder shared by the collectors of a cluster: leader lock and once-per-cluster checkpoints. */
    public static final String CLUSTER_DIR = "dockwatch.cluster.dir";
    /** How often the leader renews its lock; a follower takes over after three missed renewals. */
    public static final String CLUSTER_INTERVAL = "dockwatch.cluster.interval";
    /** Whether the shipped routes read swarm service logs through a manager (once per cluster). */
    public static final String SWARM_SERVICE_LOGS = "dockwatch.swarm.service.logs";
    /**
     * Whether swarm-wide events are recorded once per cluster (by the elected collector) rather
     * than by the events source of every collector attached to a manager.
     */
    public static final String SWARM_EVENTS = "dockwatch.swarm.events";

    private static final String PREFIX = "dockwatch.";
    private final Map<String, String> values;
    private final Map<String, String> runtime;

    private Settings(Map<String, String> values, Map<String, String> runtime) {
        this.values = values;
        this.runtime = runtime;
    }

    /**
     * The settings file a user edits, read from the working directory: at the repository root, as
     * in Camel's own examples and the design's layout. The jar carries the same file as its
     * built-in defaults, so this one needs only the lines that differ (or none at all).
     */
    public static final Path USER_FILE = Path.of("application.properties");

    /** Settings as the running collector sees them: built-in defaults, ./application.properties, environment, JVM properties. */
    public static Settings load() {
        return load(USER_FILE, System.getenv(), System.getProperties());
    }

    /**
     * A JVM property wins over an environment variable, which wins over the user's
     * {@code application.properties}, which wins over the jar's built-in defaults; for every key
     * of the two files, {@code dockwatch.*} or not ({@code camel.*}, a recipe's own placeholders).
     */
    public static Settings load(Path userFile, Map<String, String> env, Properties jvm) {
        Properties files = classpathDefaults();
        Properties user = userFile(userFile);
        user.stringPropertyNames().forEach(k -> files.setProperty(k, user.getProperty(k)));
        Settings s = from(files, env, jvm);
        Map<String, String> runtime = new TreeMap<>();
        for (String key : files.stringPropertyNames()) {
            if (!key.startsWith(PREFIX)) {
                String value = jvm.getProperty(key, env.getOrDefault(envName(key), files.getProperty(key)));
                runtime.put(key, value.trim());
            }
        }
        runtime.putAll(s.values);
        return new Settings(s.values, runtime);
    }

    private static Properties userFile(Path file) {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new SettingsException("Cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
            }
        }
        return p;
    }

    /**
     * Every key of the built-in and the user's {@code application.properties} with its value after
     * the environment and JVM properties, plus every {@code dockwatch.*} setting: what Camel is
     * given, so YAML placeholders and {@code camel.*} options see what dockwatch sees.
     */
    public Map<String, String> runtimeProperties() {
        return Map.copyOf(runtime);
    }

    /**
     * For a Camel runtime other than dockwatch's main: the jar's defaults, then the runtime's own
     * {@code dockwatch.*} properties, then the environment and JVM properties.
     */
    public static Settings forRuntime(Properties runtimeProperties) {
        Properties p = classpathDefaults();
        runtimeProperties.stringPropertyNames().forEach(k -> p.setProperty(k, runtimeProperties.getProperty(k)));
        return from(p, System.getenv(), System.getProperties());
    }

    /** The same layering over given sources; tests and embedding runtimes use it. */
    public static Settings from(Properties defaults, Map<String, String> env, Properties jvm) {
        Map<String, String> merged = new TreeMap<>();
        defaults.stringPropertyNames().stream().filter(k -> k.startsWith(PREFIX))
                .forEach(k -> merged.put(k, defaults.getProperty(k).trim()));
        // a part's own built-in defaults, for keys no application.properties names (a new sink's)
        checks().forEach(c -> c.defaults().forEach(merged::putIfAbsent));
        // Env vars can introduce keys the defaults do not list, so map every DOCKWATCH_ variable back.
        env.forEach((name, value) -> {
            if (name.startsWith("DOCKWATCH_")) {
                String key = keyForEnv(name, merged.keySet());
                merged.put(key, value.trim());
            }
        });
        jvm.stringPropertyNames().stream().filter(k -> k.startsWith(PREFIX))
                .forEach(k -> merged.put(k, jvm.getProperty(k).trim()));
        if (merged.getOrDefault(DOCKER_HOSTS, "").isEmpty()) {
            String dockerHost = env.get("DOCKER_HOST");
            merged.put(DOCKER_HOSTS, dockerHost != null && !dockerHost.isBlank()
                    ? dockerHost.trim() : "unix:///var/run/docker.sock");
        }
        // keys a part derives from others (a sink's ...enabled from its address, given as a setting or
        // the Camel way, camel.component.<scheme>.<option>: a route's autoStartup wants a boolean)
        SettingsCheck.ComponentOptions camel = (scheme, option) -> componentOption(scheme, option, defaults, env, jvm);
        checks().forEach(c -> c.derive(merged, camel));
        return new Settings(merged, merged);
    }

    /** Every part's check, found once (see {@link SettingsCheck}): the class path does not change while the collector runs. */
    private static volatile List<SettingsCheck> checks;

    static List<SettingsCheck> checks() {
        List<SettingsCheck> found = checks;
        if (found == null) {
            found = List.copyOf(findChecks(Settings.class.getClassLoader()));
            checks = found;
        }
        return found;
    }

    private static List<SettingsCheck> findChecks(ClassLoader loader) {
        List<SettingsCheck> found = new ArrayList<>();
        java.util.ServiceLoader.load(SettingsCheck.class, loader).forEach(found::add);
        for (String component : ComponentDescriptors.componentClasses(loader)) {
            SettingsCheck.Of of = ComponentDescriptors.annotation(component, loader, SettingsCheck.Of.class);
            if (of != null) {
                try {
                    found.add(of.value().getConstructor().newInstance());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("Cannot make " + of.value().getName() + ", the settings check of "
                            + component + ": it needs a public no-argument constructor", e);
                }
            }
        }
        return found;
    }

    /**
     * {@code camel.component.SCHEME.OPTION} as a JVM property, else an environment variable, else a
     * property file's; empty when unset.
     */
    private static String componentOption(String scheme, String option, Properties files, Map<String, String> env,
            Properties jvm) {
        String key = "camel.component." + scheme + "." + option;
        return jvm.getProperty(key, env.getOrDefault(envName(key), files.getProperty(key, ""))).trim();
    }

    /** Upper snake case of a key: {@code dockwatch.output.dir} is {@code DOCKWATCH_OUTPUT_DIR}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String keyForEnv(String envName, Set<String> knownKeys) {
        for (String key : knownKeys) {
            if (envName(key).equals(envName)) {
                return key;
            }
        }
        return envName.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /**
     * The built-in defaults: the application.properties of dockwatch's own jar. In a host runtime
     * with the thin jar, the host's own application.properties may come first on the class path,
     * so the one beside this class is taken, not merely the first.
     */
    private static Properties classpathDefaults() {
        Properties p = new Properties();
        try {
            URL own = null;
            URL first = null;
            String home = codeSource();
            Enumeration<URL> all = Settings.class.getClassLoader().getResources("application.properties");
            while (all.hasMoreElements()) {
                URL u = all.nextElement();
                first = first == null ? u : first;
                if (own == null && home != null && u.toString().contains(home)) {
                    own = u;
                }
            }
            URL chosen = own != null ? own : first;
            if (chosen != null) {
                try (InputStream in = chosen.openStream()) {
                    p.load(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Where this class was loaded from (a jar or a classes folder), as it appears in resource URLs. */
    private static String codeSource() {
        var source = Settings.class.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? null : source.getLocation().getPath();
    }

    /** All resolved values, handed to Camel so YAML routes see the same values as placeholders. */
    public Map<String, String> asMap() {
        return Map.copyOf(values);
    }

    public String string(String key) {
        return values.getOrDefault(key, "");
    }

    public boolean isSet(String key) {
        return !string(key).isEmpty();
    }

    public List<String> list(String key) {
        String v = string(key);
        if (v.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public Path path(String key) {
        String v = string(key);
        if (v.isEmpty()) {
            throw new SettingsException(key, v, "a file system path");
        }
        return Path.of(v);
    }

    public boolean bool(String key) {
        String v = string(key).toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new SettingsException(key, string(key), "true or false");
        };
    }

    public int port(String key) {
        return intInRange(key, 0, 65535);
    }

    public int intInRange(String key, int min, int max) {
        String v = string(key);
        try {
            int i = Integer.parseInt(v);
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the allowed range
        }
        throw new SettingsException(key, v, "a whole number from " + min + " to " + max);
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /** Durations as users write them: {@code 500ms}, {@code 10s}, {@code 1m}, {@code 2h}, {@code 7d}. */
    public Duration duration(String key) {
        String v = string(key);
        Matcher m = DURATION.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            if (!d.isZero()) {
                return d;
            }
        }
        throw new SettingsException(key, v, "a positive duration such as 500ms, 10s, 1m, 2h or 7d");
    }

    /** {@link #duration} where a plain {@code 0} is allowed too (e.g. "at every write"). */
    public Duration durationOrZero(String key) {
        return "0".equals(string(key)) ? Duration.ZERO : duration(key);
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|k|mb|m|gb|g)?", Pattern.CASE_INSENSITIVE);

    /** Sizes as users write them: {@code 512kb}, {@code 64mb}, {@code 1gb}, or plain bytes. */
    public long bytes(String key) {
        String v = string(key);
        Matcher m = SIZE.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
            long factor = switch (unit) {
                case "k", "kb" -> 1024L;
                case "m", "mb" -> 1024L * 1024;
                case "g", "gb" -> 1024L * 1024 * 1024;
                default -> 1L;
            };
            if (n > 0) {
                return n * factor;
            }
        }
        throw new SettingsException(key, v, "a positive size such as 65536, 512kb, 64mb or 1gb");
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type, Function<E, String> spelling) {
        String v = string(key);
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (spelling.apply(e).equals(v)) {
                return e;
            }
            allowed.add(spelling.apply(e));
        }
        throw new SettingsException(key, v, "one of " + String.join(", ", allowed));
    }

    /** Docker endpoints: {@code unix:///path} or {@code tcp://host:port}, optionally with TLS query options. */
    public List<URI> dockerHosts() {
        List<URI> hosts = new ArrayList<>();
        for (String h : list(DOCKER_HOSTS)) {
            try {
                URI uri = URI.create(h);
                boolean ok = ("unix".equals(uri.getScheme()) && uri.getPath() != null && !uri.getPath().isEmpty())
                        || ("tcp".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0);
                if (ok) {
                    hosts.add(uri);
                    continue;
                }
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
            throw new SettingsException(DOCKER_HOSTS, h,
                    "comma-separated unix:///path/docker.sock or tcp://host:port[?tls_verify=true&cert_path=DIR]");
        }
        if (hosts.isEmpty()) {
            throw new SettingsException(DOCKER_HOSTS, "", "at least one Docker endpoint");
        }
        return hosts;
    }

    /** Checks every setting the collector uses, so start-up fails at once rather than later. */
    public Settings validate() {
        dockerHosts();
        for (String key : List.of(DOCKER_TIMEOUT, DOCKER_PING_INTERVAL)) {
            if (isSet(key)) { // settings made by hand may lack them: the daemons' defaults apply
                duration(key);
            }
        }
        path(OUTPUT_DIR);
        path(STATE_DIR);
        duration(STATS_INTERVAL);
        path(HOST_PROC);
        choice(EVENTS_BACKLOG, EventsBacklog.class, EventsBacklog::spelling);
        port(HTTP_PORT);
        httpToken();
        duration(HEALTH_DAEMON_DOWN_AFTER);
        duration(HEALTH_SINK_DOWN_AFTER);
        logsBacklog();
        intInRange(CONTEXT_LINES, 0, 1000);
        duration(LOGS_FILES_INTERVAL);
        if (isSet(DRIFT_RETENTION)) {
            duration(DRIFT_RETENTION);
        }
        if (isSet(CONTAINERS_RECONCILE_INTERVAL)) {
            duration(CONTAINERS_RECONCILE_INTERVAL);
        }
        pattern(LOGS_MULTILINE_START);
        duration(LOGS_MULTILINE_TIMEOUT);
        duration(CLUSTER_INTERVAL);
        bool(SWARM_SERVICE_LOGS);
        bool(SWARM_EVENTS);
        bytes(SPOOL_MAX_BYTES);
        if (isSet(STATE_SYNC_INTERVAL)) {
            durationOrZero(STATE_SYNC_INTERVAL);
        }
        if (isSet(ROUTES) && !path(ROUTES).toFile().isDirectory()) {
            throw new SettingsException(ROUTES, string(ROUTES), "an existing folder of *.camel.yaml routes");
        }
        // stats and host sources
        intInRange(STATS_CONCURRENCY, 1, MAX_STATS_CONCURRENCY);
        duration(DAEMON_STATS_INTERVAL);
        path(HOST_ROOT);
        choice(HOST_LOGS_BACKLOG, LogBacklog.class, LogBacklog::spelling);
        // the settings of one sink or part (its enums, its URL's form) are checked by its own package
        checks().forEach(c -> c.check(this));
        return this;
    }



    /** A URL with a host and one of the given schemes. */
    public URI uri(String key, String allowed, String... schemes) {
        String v = string(key);
        try {
            URI u = new URI(v);
            if (u.getScheme() != null && u.getHost() != null && List.of(schemes).contains(u.getScheme())) {
                return u;
            }
        } catch (java.net.URISyntaxException ignored) {
            // reported below
        }
        throw new SettingsException(key, v, allowed);
    }

    /**
     * A folder the collector writes to, created if missing and written once to be sure: a
     * read-only mount, another user's folder or a file in the way fails start-up with one line
     * instead of failing the first checkpoint or spool write later.
     */
    public Path writableFolder(String key) {
        Path dir = path(key);
        try {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.delete(java.nio.file.Files.createTempFile(dir, ".dockwatch-write-check", ".tmp"));
            return dir;
        } catch (IOException | SecurityException e) {
            throw new SettingsException(key, string(key), "a folder this user can create and write to ("
                    + whyNotWritable(e) + ")");
        }
    }

    private static String whyNotWritable(Exception e) {
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return "a file is in the way: " + f.getFile();
        }
        if (e instanceof java.nio.file.NotDirectoryException n) {
            return "not a folder: " + n.getFile();
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(Locale.ROOT) + ": " + f.getFile();
        }
        return String.valueOf(e.getMessage());
    }

    /** Nothing, or a readable file. */
    public void readableFile(String key) {
        if (isSet(key) && !java.nio.file.Files.isReadable(path(key))) {
            throw new SettingsException(key, string(key), "a readable file");
        }
    }

    /**
     * Where the log source starts for a container that was already there when the collector first
     * saw it and has no checkpoint: {@code all} lines, {@code new} lines only, or the last N.
     * Returns -1 for all, 0 for new, N otherwise.
     */
    public int logsBacklog() {
        String v = string(LOGS_BACKLOG);
        if (v.equals("all")) {
            return -1;
        }
        if (v.equals("new")) {
            return 0;
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SettingsException(LOGS_BACKLOG, v, "all, new, or a number of last lines such as 1000");
    }

    /** The cluster folder: {@code dockwatch.cluster.dir}, else {@code cluster/} in the state dir (a cluster of one). */
    public Path clusterDir() {
        return isSet(CLUSTER_DIR) ? path(CLUSTER_DIR) : path(STATE_DIR).resolve("cluster");
    }

    /**
     * A regular expression setting, RE2 syntax (linear-time matching: it runs on container
     * output); empty means unset (null).
     */
    public com.google.re2j.Pattern pattern(String key) {
        String v = string(key);
        if (v.isEmpty()) {
            return null;
        }
        try {
            return com.google.re2j.Pattern.compile(v);
        } catch (com.google.re2j.PatternSyntaxException e) {
            throw new SettingsException(key, v, "an RE2 regular expression (" + e.getDescription() + ")");
        }
    }

    /**
     * The token the HTTP server asks for, empty when it needs none: the status page and metrics
     * show container names and errors, so off loopback they are not served without one.
     */
    public String httpToken() {
        String host = string(HTTP_HOST);
        boolean loopback;
        try {
            loopback = java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            throw new SettingsException(HTTP_HOST, host, "an address or name of this host, such as 127.0.0.1 or 0.0.0.0");
        }
        String token = isSet(HTTP_TOKEN_FILE) ? tokenFromFile() : string(HTTP_TOKEN);
        if (!loopback && token.isEmpty()) {
            throw new SettingsException(HTTP_TOKEN, "", "a secret token when " + HTTP_HOST + "=" + host
                    + " is not a loopback address (or " + HTTP_TOKEN_FILE + ", or bind to 127.0.0.1)");
        }
        return token;
    }

    private String tokenFromFile() {
        if (isSet(HTTP_TOKEN)) {
            throw new SettingsException(HTTP_TOKEN_FILE, string(HTTP_TOKEN_FILE), "only when " + HTTP_TOKEN
                    + " is not set as well (one token, from one place)");
        }
        String token;
        try {
            token = java.nio.file.Files.readString(path(HTTP_TOKEN_FILE)).strip();
        } catch (IOException | UncheckedIOException | SecurityException e) {
            throw new SettingsException(HTTP_TOKEN_FILE, string(HTTP_TOKEN_FILE), "a readable file holding the token ("
                    + whyNotReadable(e) + ")");
        }
        if (token.isEmpty() || token.contains("\n")) {
            throw new SettingsException(HTTP_TOKEN_FILE, string(HTTP_TOKEN_FILE), "a file holding the token on one line");
        }
        return token;
    }

    private static String whyNotReadable(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.charset.MalformedInputException || e.getCause() instanceof java.nio.charset.MalformedInputException) {
            return "not UTF-8 text";
        }
        return String.valueOf(e.getMessage());
    }

    /** Settings under {@code prefix}, the prefix taken off (e.g. Kafka client properties). */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> m = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length()) {
                m.put(k.substring(prefix.length()), v);
            }
        });
        return m;
    }

    /** What the events source does on its first start, before it has a checkpoint. */
    public enum EventsBacklog {
        /** only events from now on */
        NONE("none"),
        /** everything the daemon still holds in its event buffer */
        ALL("all");

        private final String spelling;

        EventsBacklog(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }
    }

    /** Where the host and daemon log tailers begin in a file that was there before their first start. */
    public enum LogBacklog {
        /** the whole file */
        ALL("all"),
        /** only what is written from now on */
        NONE("none");

        private final String spelling;

        LogBacklog(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }
    }
}
