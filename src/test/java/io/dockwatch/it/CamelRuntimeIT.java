package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.event;
import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.runtime.PlainCamelRuntime;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.Http;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The components, the enricher bean and the shipped YAML routes outside dockwatch's own main: a
 * plain DefaultCamelContext in a separate JVM whose classpath is the jar plus one tiny main class.
 */
class CamelRuntimeIT {
    private static final Duration WAIT = Duration.ofSeconds(90); // a shared daemon with hundreds of containers can be slow
    private static final String SHIPPED_ROUTES = "classpath:routes/dockwatch.camel.yaml";

    @TempDir
    Path work;
    private final String printer = Docker.uniqueName("plain");
    private Process camel;

    @AfterEach
    void cleanUp() throws InterruptedException {
        Docker.removeQuietly(printer);
        if (camel != null && camel.isAlive()) {
            camel.destroyForcibly();
            camel.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theShippedYamlRoutesAndAUserRouteCollectInAPlainCamelContextOnTheFatJar() throws Exception {
        runsInAPlainCamelContext(Collector.jar().toString());
    }

    /**
     * The thin jar, for existing runtimes: nothing of Camel, Jackson, Kafka or docker-java inside
     * it; with the dependencies its pom declares (as a host resolves them) and the host's own
     * logging, the same routes run.
     */
    @Test
    void theShippedYamlRoutesAndAUserRouteCollectInAPlainCamelContextOnTheThinJarAndItsDeclaredDependencies()
            throws Exception {
        Path thin = Path.of(System.getProperty("dockwatch.thin.jar"));
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(thin.toFile())) {
            assertThat(jar.stream().map(java.util.jar.JarEntry::getName).filter(n -> n.endsWith(".class")))
                    .as("only dockwatch's own classes in the thin jar").isNotEmpty()
                    .allMatch(n -> n.startsWith("io/dockwatch/"));
        }
        String declared = Files.readString(Path.of(System.getProperty("dockwatch.thin.classpath"))).strip();
        assertThat(declared).as("declared dependencies").contains("camel-main-4.18.0.jar", "kafka-clients-3.9.1.jar",
                "jackson-databind-2.19.4.jar").doesNotContain("logback");
        runsInAPlainCamelContext(thin + File.pathSeparator + declared + File.pathSeparator + hostLogging());
    }

    private void runsInAPlainCamelContext(String classpath) throws Exception {
        Path out = work.resolve("out");
        Path userOut = work.resolve("user-out");
        Path log = work.resolve("camel.log");
        // a route of the user's own: the spool's records to a stock Camel component
        Path userRoute = work.resolve("user.camel.yaml");
        Files.writeString(userRoute, String.join("\n",
                "- route:",
                "    id: user-sink",
                "    startupOrder: 10",
                "    from:",
                "      uri: spool:records?sink=user-file&kinds=log",
                "      steps:",
                "        - to: file:" + userOut + "?fileName=user.ndjson&fileExist=Append",
                ""));
        camel = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath + File.pathSeparator + onlyTheMainClass(),
                "-Ddockwatch.output.dir=" + out, "-Ddockwatch.state.dir=" + work.resolve("state"),
                "-Ddockwatch.http.port=0", "-Ddockwatch.containers.include=" + printer, // shared daemon: our logs only
                PlainCamelRuntime.class.getName(), SHIPPED_ROUTES, "file:" + userRoute)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await("plain Camel started").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!camel.isAlive()) {
                throw new AssertionError("plain Camel exited:\n" + Files.readString(log));
            }
            return Files.readString(log).contains("plain camel runtime started");
        });
        assertThat(Files.readString(log)).contains("with " + (shippedRouteCount() + 1) + " routes");

        docker("run", "-d", "--network", "none", "--name", printer, "-l", "team=plain", TEST_IMAGE,
                "sh", "-c", "echo hello from a plain context; echo second line; sleep 300");

        try {
            await("records from the plain context").atMost(WAIT).pollInterval(Duration.ofMillis(300))
                    .until(() -> Collector.readRecords(out, true).stream().filter(kind("log").and(containerName(printer))).count() >= 2
                            && Collector.readRecords(out, true).stream().anyMatch(event(printer, "start"))
                            // the config source works on its own: on a busy daemon its record may come last
                            && Collector.readRecords(out, true).stream().anyMatch(kind("config").and(containerName(printer)))
                            && Collector.readRecords(userOut, true).stream().filter(containerName(printer)).count() >= 2);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("records of " + printer + ": " + Collector.readRecords(out).stream()
                    .filter(containerName(printer)).map(r -> r.path("kind").asText()).toList() + "; user route: "
                    + Collector.readRecords(userOut).stream().filter(containerName(printer)).count() + "\n"
                    + Files.readString(log), e);
        }
        List<JsonNode> records = Collector.readRecords(out);
        assertThat(records.stream().filter(kind("log").and(containerName(printer)))).hasSize(2);
        JsonNode line = records.stream().filter(kind("log").and(containerName(printer))).findFirst().orElseThrow();
        assertThat(line.path("message").asText()).isEqualTo("hello from a plain context");
        // the enricher bean declared in the YAML ran: container metadata is on the record
        assertThat(line.path("container").path("labels").path("team").asText()).isEqualTo("plain");
        assertThat(line.path("container").path("image").path("name").asText()).isEqualTo(TEST_IMAGE);
        assertThat(records.stream().filter(kind("config").and(containerName(printer)))).isNotEmpty();
        // the user's route got the same lines through camel-file, converted to NDJSON by Camel
        assertThat(Collector.readRecords(userOut).stream().filter(containerName(printer))
                .map(r -> r.path("message").asText())).containsExactly("hello from a plain context", "second line");

        // health and metrics come along, without dockwatch's main
        Matcher url = Pattern.compile("Status page, metrics and health on (http://\\S+)").matcher(Files.readString(log));
        assertThat(url.find()).isTrue();
        assertThat(Http.get(url.group(1) + "/observe/health/ready").status()).isEqualTo(200);
        assertThat(Http.get(url.group(1) + "/observe/metrics").body()).containsPattern("dockwatch_source_records_total\\{source=\"logs\"} [1-9]");

        camel.destroy(); // SIGTERM: Camel stops, the services close with it
        assertThat(camel.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    /** The host's own logging (logback here), which the thin jar leaves to the host. */
    private static String hostLogging() {
        return String.join(File.pathSeparator, jarOf(ch.qos.logback.classic.Logger.class),
                jarOf(ch.qos.logback.core.Appender.class));
    }

    private static String jarOf(Class<?> type) {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
    }

    /** Routes in the shipped YAML, as read from the jar: every one of them must load. */
    private static int shippedRouteCount() throws IOException {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(Collector.jar().toFile())) {
            String yaml = new String(jar.getInputStream(jar.getEntry("routes/dockwatch.camel.yaml")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            return (int) yaml.lines().filter(l -> l.equals("- route:")).count();
        }
    }

    /** A folder holding just PlainCamelRuntime's class file, so nothing else of the tests is on the child's classpath. */
    private Path onlyTheMainClass() throws IOException {
        String resource = PlainCamelRuntime.class.getName().replace('.', '/') + ".class";
        Path source = Path.of(PlainCamelRuntime.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .resolve(resource);
        Path dir = work.resolve("main-class");
        Path target = dir.resolve(resource);
        Files.createDirectories(target.getParent());
        Files.copy(source, target);
        return dir;
    }
}
