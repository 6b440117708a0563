package io.dockwatch.routing;

import io.dockwatch.sink.kafka.KafkaSinkSettings;
import static org.assertj.core.api.Assertions.assertThat;

import io.dockwatch.DockwatchServices;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Json;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import io.dockwatch.settings.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ProcessDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every recipe under {@code routes/examples/} (and the shipped routes) loads with Camel's YAML
 * loader, its placeholders resolve against the real settings, its beans exist, and every endpoint
 * it names is created by its component with its options checked.
 */
class RouteExamplesTest {
    private static final Path EXAMPLES = Path.of("routes", "examples");
    private static final Path SHIPPED = Path.of("routes", "dockwatch.camel.yaml");
    /**
     * Schemes of the stats and host sources, written on another branch. An endpoint of one of these
     * is skipped, said so on stderr, while its component is not in this build; once it is, it is
     * checked like the rest. Any other unknown scheme fails.
     */
    private static final Set<String> SCHEMES_FROM_OTHER_BRANCHES = Set.of("docker-stats", "docker-daemon-stats",
            "host-stats", "host-logs", "daemon-log");

    @TempDir
    Path tmp;
    private final List<DefaultCamelContext> contexts = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (DefaultCamelContext c : contexts) {
            c.close();
        }
    }

    @Test
    void everyRecipeIsAFolderOfRoutes() throws IOException {
        List<Path> folders = recipeFolders();
        assertThat(folders.stream().map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                "logs-to-http", "events-and-drift-to-syslog", "everything-to-kafka", "stats-to-file", "filter-by-label",
                "logs-to-camel-http", "logs-to-camel-kafka", "events-and-logs-to-camel-file", "any-endpoint-template",
                "events-and-logs-to-opensearch");
        for (Path folder : folders) {
            assertThat(yamlFiles(folder)).as("routes in %s", folder).isNotEmpty();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRecipeLoadsAndItsEndpointsResolve() throws IOException {
        List<Path> files = new ArrayList<>(List.of(SHIPPED));
        for (Path folder : recipeFolders()) {
            files.addAll(yamlFiles(folder));
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.toString(), () -> checkLoads(f)));
    }

    @Test
    void theLabelFilterRecipeKeepsOnlyLabelledContainersAndTheCheckpointsGoOn() throws Exception {
        DefaultCamelContext camel = load(EXAMPLES.resolve("filter-by-label").resolve("dockwatch.camel.yaml"));
        Processor filter = camel.getRegistry().lookupByNameAndType("paymentsOnly", Processor.class);
        Record payments = container("pay-1", Map.of("team", "payments"));
        Record other = container("web-1", Map.of("team", "web"));
        Record unlabelled = container("db-1", Map.of());

        assertThat(run(camel, filter, payments)).isSameAs(payments);
        assertThat(run(camel, filter, other)).as("another team's record: emptied, not stopped").isNull();
        assertThat(run(camel, filter, List.of(other, payments, unlabelled))).isEqualTo(List.of(payments));
        assertThat(run(camel, filter, List.of(other, unlabelled))).isNull();
    }

    private void checkLoads(Path file) throws Exception {
        DefaultCamelContext camel = load(file);
        List<RouteDefinition> routes = camel.getRouteDefinitions();
        assertThat(routes).as("routes in %s", file).isNotEmpty();
        Set<String> ids = new HashSet<>();
        Set<Integer> startupOrders = new HashSet<>();
        for (RouteDefinition route : routes) {
            assertThat(ids.add(route.getRouteId())).as("route id %s unique", route.getRouteId()).isTrue();
            if (route.getStartupOrder() != null) {
                assertThat(startupOrders.add(route.getStartupOrder())).as("startupOrder of %s unique",
                        route.getRouteId()).isTrue();
            }
            if (route.getAutoStartup() != null) {
                String auto = camel.resolvePropertyPlaceholders(route.getAutoStartup());
                assertThat(auto).as("autoStartup of %s", route.getRouteId()).isIn("true", "false");
            }
            List<String> uris = new ArrayList<>();
            uris.add(route.getInput().getEndpointUri());
            collect(route.getOutputs(), uris, camel);
            for (String uri : uris) {
                String resolved = camel.resolvePropertyPlaceholders(withTemplateParameters(route, uri));
                String scheme = resolved.substring(0, resolved.indexOf(':'));
                if (camel.getComponent(scheme) == null) {
                    assertThat(SCHEMES_FROM_OTHER_BRANCHES).as("component for %s (%s)", uri, file).contains(scheme);
                    System.err.println("Skipped " + uri + " in " + file + ": component '" + scheme
                            + "' is written on another branch and not in this build yet");
                    continue;
                }
                assertThat(camel.getEndpoint(resolved)).as("endpoint %s in %s", resolved, file).isNotNull();
            }
        }
    }

    /** A route made from a route template resolves {{name}} from its parameters first, as Camel does. */
    private static String withTemplateParameters(RouteDefinition route, String uri) {
        String out = uri;
        if (route.getTemplateParameters() != null) {
            for (Map.Entry<String, Object> p : route.getTemplateParameters().entrySet()) {
                out = out.replace("{{" + p.getKey() + "}}", String.valueOf(p.getValue()));
            }
        }
        return out;
    }

    private static void collect(List<ProcessorDefinition<?>> outputs, List<String> uris, DefaultCamelContext camel) {
        for (ProcessorDefinition<?> p : outputs) {
            if (p instanceof SendDefinition<?> send) {
                uris.add(send.getEndpointUri());
            }
            if (p instanceof ProcessDefinition process) {
                assertThat(camel.getRegistry().lookupByName(process.getRef())).as("bean %s", process.getRef()).isNotNull();
            }
            collect(p.getOutputs(), uris, camel);
        }
    }

    private DefaultCamelContext load(Path file) throws Exception {
        Properties overrides = new Properties();
        Path work = Files.createTempDirectory(tmp, "ctx");
        overrides.setProperty(Settings.STATE_DIR, work.resolve("state").toString());
        overrides.setProperty(Settings.OUTPUT_DIR, work.resolve("out").toString());
        overrides.setProperty(KafkaSinkSettings.BROKERS, "127.0.0.1:9");
        Settings settings = Settings.from(shippedDefaults(), Map.of(), overrides).validate();
        DefaultCamelContext camel = new DefaultCamelContext();
        contexts.add(camel);
        camel.getRegistry().bind("dockwatchServices", new DockwatchServices(settings));
        // as Dockwatch's main does: the shipped routes' master: endpoints need the cluster service
        io.dockwatch.cluster.ClusterSetup.register(camel, settings);
        Properties camelProps = new Properties();
        camelProps.putAll(settings.asMap());
        // what the recipes for stock components read (the destination is the user's to give)
        camelProps.setProperty("destination.url", "http://127.0.0.1:9/ingest");
        camelProps.setProperty("destination.kafka.brokers", "127.0.0.1:9");
        camelProps.setProperty("destination.dir", work.resolve("files").toString());
        camel.getPropertiesComponent().setInitialProperties(camelProps);
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel, "file:" + file.toAbsolutePath()));
        return camel;
    }

    private static Properties shippedDefaults() throws IOException {
        Properties p = new Properties();
        try (InputStream in = RouteExamplesTest.class.getClassLoader().getResourceAsStream("application.properties")) {
            p.load(in);
        }
        return p;
    }

    private static Object run(DefaultCamelContext camel, Processor p, Object body) throws Exception {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setBody(body);
        p.process(e);
        return e.getMessage().getBody();
    }

    private static Record container(String name, Map<String, String> labels) {
        Record r = Record.of(Kind.LOG, Instant.now()).put(Fields.CONTAINER_NAME, name);
        var node = Json.NODES.objectNode();
        labels.forEach(node::put);
        return r.put(Fields.CONTAINER_LABELS, node);
    }

    private static List<Path> recipeFolders() throws IOException {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    private static List<Path> yamlFiles(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }
}
