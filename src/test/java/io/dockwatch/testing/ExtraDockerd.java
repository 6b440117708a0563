package io.dockwatch.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A second real dockerd (Debian's binary) beside the machine's main one, for fleet tests: its own
 * data root, exec root, pid file, config file and daemon ID, a unix socket in its own folder and
 * optionally a TCP port on 127.0.0.1 with mutual TLS. No bridge, no iptables rules and the vfs
 * storage driver, so it never touches what the main daemon (shared by other tests) relies on.
 * Stopped through its pid file only: the main dockerd is never signalled.
 *
 * <p>The engine is Debian's installed one, or with {@link #startSid()} the newer one that
 * scripts/test-env.sh unpacks from Debian sid ({@link SidEngine}): the same daemon set-up, its own
 * binaries, for the tests that must hold on both API versions.
 */
public final class ExtraDockerd implements AutoCloseable {
    private final Path dir;
    private final Path socket;
    private final Path pidFile;
    private final int tcpPort;
    private final TestCertificates certs;
    private final SidEngine sid;
    private final List<String> command;
    private long pid;

    private ExtraDockerd(Path dir, TestCertificates certs) {
        this(dir, certs, null);
    }

    private ExtraDockerd(Path dir, TestCertificates certs, SidEngine sid) {
        this.dir = dir;
        this.sid = sid;
        this.socket = dir.resolve("docker.sock");
        this.pidFile = dir.resolve("dockerd.pid");
        this.certs = certs;
        this.tcpPort = certs != null ? freePort() : -1;
        this.command = command();
    }

    /** Starts a plain daemon, reachable on its unix socket only. */
    public static ExtraDockerd start() {
        return prepare().launch();
    }

    /** A plain daemon with its folders and socket path chosen, not started yet: a daemon that is down. */
    public static ExtraDockerd prepare() {
        return new ExtraDockerd(tempDir(), null);
    }

    /**
     * Starts Debian sid's newer dockerd (installed by scripts/test-env.sh), logging every API
     * request ({@code --debug}) so a test can see which API version a client spoke.
     */
    public static ExtraDockerd startSid() {
        return new ExtraDockerd(tempDir(), null, SidEngine.installed()).launch();
    }

    /** Starts a daemon that also listens on 127.0.0.1 with {@code --tlsverify} and the given certificates. */
    public static ExtraDockerd startWithTls(TestCertificates certs) {
        return new ExtraDockerd(tempDir(), certs).launch();
    }

    /** A short folder under /tmp: unix socket paths (ours and containerd's) must stay below 108 bytes. */
    private static Path tempDir() {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), "dwd");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> command() {
        List<String> c = new ArrayList<>(List.of(sid != null ? sid.dockerd().toString() : "dockerd",
                "--config-file", dir.resolve("daemon.json").toString(),
                "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", pidFile.toString(),
                "-H", "unix://" + socket,
                // a bridge of its own: with --bridge=none dockerd deletes the host's docker0 at start,
                // which breaks the main daemon's containers until it is restarted
                "--bridge=" + bridge, "--iptables=false", "--ip-masq=false", "--ip-forward=false",
                "--storage-driver=vfs"));
        if (sid != null) {
            c.add("--debug");
        }
        if (certs != null) {
            c.addAll(List.of("-H", "tcp://127.0.0.1:" + tcpPort, "--tlsverify",
                    "--tlscacert", certs.caPem().toString(),
                    "--tlscert", certs.serverCert().toString(),
                    "--tlskey", certs.serverKey().toString()));
        }
        return c;
    }

    private static final java.util.concurrent.atomic.AtomicInteger BRIDGES =
            new java.util.concurrent.atomic.AtomicInteger((int) (ProcessHandle.current().pid() % 200));
    private final int bridgeNumber = BRIDGES.incrementAndGet() % 250;
    private final String bridge = "dwx" + bridgeNumber + "-" + Long.toString(System.nanoTime() % 46656, 36);

    /** Starts (or starts again) the daemon and waits until it answers. */
    public ExtraDockerd launch() {
        sh("ip link show " + bridge + " >/dev/null 2>&1 || { ip link add " + bridge + " type bridge && ip addr add 10.214."
                + bridgeNumber + ".1/24 dev " + bridge + " && ip link set " + bridge + " up; }");
        try {
            // Engine 20.10 derives the daemon ID from its trust key, by default /etc/docker/key.json,
            // shared with the main daemon: a key of its own gives it an ID of its own. From Engine 23
            // the ID lives in the data root (already its own) and the key option is refused.
            Files.writeString(dir.resolve("daemon.json"), engineMajor(command.get(0)) < 23
                    ? "{\"deprecated-key-path\":\"" + dir.resolve("trust-key.json") + "\"}" : "{}");
            Files.deleteIfExists(pidFile);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile()));
            if (sid != null) {
                // its own containerd and shims before the installed ones (dockerd finds them on PATH)
                pb.environment().put("PATH", sid.searchPath(pb.environment().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")));
            }
            pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await("extra dockerd at " + socket).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> tryDocker("version", "--format", "{{.Server.Version}}").exitCode() == 0);
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The major version of a dockerd binary ({@code Docker version 20.10.24+dfsg1, build ...}). */
    static int engineMajor(String dockerd) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("version (\\d+)\\.").matcher(sh(dockerd + " --version"));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** {@code unix:///tmp/dwdXXXX/docker.sock} */
    public URI unixUri() {
        return URI.create("unix://" + socket);
    }

    /** {@code tcp://host:port} of the TLS listener (host 127.0.0.1 or localhost, both in the server certificate). */
    public String tcpUri(String host) {
        return "tcp://" + host + ":" + tcpPort;
    }

    public Path dir() {
        return dir;
    }

    /** Where this daemon keeps its containers' json-file logs ({@code <data root>/containers}). */
    public String containersDir() {
        return dir.resolve("data").resolve("containers").toString();
    }

    /** Runs the docker CLI against this daemon; fails on a non-zero exit. */
    public String docker(String... args) {
        Docker.Result r = tryDocker(args);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("docker -H " + unixUri() + " " + String.join(" ", args) + " exited "
                    + r.exitCode() + ": " + r.stderr());
        }
        return r.stdout();
    }

    public Docker.Result tryDocker(String... args) {
        List<String> a = new ArrayList<>(List.of("-H", unixUri().toString()));
        a.addAll(List.of(args));
        return Docker.tryDocker(a.toArray(String[]::new));
    }

    /** The daemon's ID, as records carry it in {@code host.daemon_id}. */
    public String id() {
        return docker("info", "--format", "{{.ID}}");
    }

    /** Copies the main daemon's test image into this one (no registry is reachable). */
    public ExtraDockerd withTestImage() {
        return withImage(Docker.TEST_IMAGE);
    }

    /** Copies an image of the main daemon (e.g. {@link LocalImage}) into this one. */
    public ExtraDockerd withImage(String image) {
        String out = sh("docker save " + image + " | docker -H " + unixUri() + " load");
        if (tryDocker("image", "inspect", image).exitCode() != 0) {
            throw new IllegalStateException("docker load of " + image + " into " + unixUri() + " failed: " + out);
        }
        return this;
    }

    /** The daemon's own log (with {@link #startSid()}, every API request it served). */
    public String log() {
        try {
            return Files.readString(dir.resolve("dockerd.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM through the pid file, as an operator stopping this daemon would; waits until it is gone. */
    public void stop() {
        if (pid <= 0) {
            return;
        }
        sh("kill -TERM " + pid + " 2>/dev/null || true");
        await("extra dockerd " + pid + " gone").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !Files.exists(Path.of("/proc/" + pid)));
        pid = 0;
    }

    /** Leaves swarm mode, removes every container, stops the daemon and deletes its folders. */
    @Override
    public void close() {
        if (pid > 0) {
            tryDocker("swarm", "leave", "--force");
            sh("ids=$(docker -H " + unixUri() + " ps -aq); [ -z \"$ids\" ] || docker -H " + unixUri() + " rm -f $ids");
            tryDocker("network", "rm", "docker_gwbridge");
            stop();
        }
        sh("ip link del " + bridge + " 2>/dev/null; true");
        // anything its containers left mounted under the folder (shm, netns) goes before the folder
        sh("grep -o ' " + dir + "[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null; true");
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp folder
        }
    }

    static String sh(String script) {
        try {
            Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + script);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
