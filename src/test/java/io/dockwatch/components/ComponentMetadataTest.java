package io.dockwatch.components;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dockwatch.sink.SinkTesting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.catalog.EndpointValidationResult;
import org.apache.camel.catalog.RuntimeCamelCatalog;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every dockwatch component as Camel's tooling sees it: the metadata Camel's build plugin generated
 * from the annotations, read through Camel's own runtime catalog (what the catalog console, JBang's
 * validation and IDE plugins read), lists every option with a description, and every documented
 * dockwatch.sink.* setting is one of a sink's options.
 */
class ComponentMetadataTest {
    /** Every scheme the jar registers (its META-INF/services/org/apache/camel/component/ entries). */
    static final List<String> SCHEMES = List.of("docker-events", "docker-logs", "docker-container-files", "docker-config",
            "docker-swarm-events", "docker-service-logs", "docker-stats", "docker-daemon-stats", "host-stats",
            "host-logs", "daemon-log", "spool", "ndjson-file", "http-sink", "kafka-sink", "syslog-sink");

    private final ObjectMapper json = new ObjectMapper();
    private DefaultCamelContext camel;
    private RuntimeCamelCatalog catalog;

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        camel.start();
        catalog = camel.getCamelContextExtension().getRuntimeCamelCatalog();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void theJarRegistersExactlyTheseSchemes() throws Exception {
        Set<String> registered = new TreeSet<>();
        var urls = getClass().getClassLoader().getResources("META-INF/services/org/apache/camel/component/");
        while (urls.hasMoreElements()) {
            var url = urls.nextElement();
            if ("file".equals(url.getProtocol()) && url.getPath().contains("/target/classes/")) {
                try (var files = java.nio.file.Files.list(java.nio.file.Path.of(url.toURI()))) {
                    files.forEach(f -> registered.add(f.getFileName().toString()));
                }
            }
        }
        assertThat(registered).containsExactlyInAnyOrderElementsOf(SCHEMES);
    }

    @Test
    void everyComponentAndOptionHasADescription() throws Exception {
        List<String> missing = new ArrayList<>();
        for (String scheme : SCHEMES) {
            String schema = catalog.componentJSonSchema(scheme);
            assertThat(schema).as("metadata of %s", scheme).isNotNull();
            JsonNode root = json.readTree(schema);
            assertThat(root.path("component").path("scheme").asText()).isEqualTo(scheme);
            assertThat(root.path("component").path("description").asText()).as("%s", scheme).isNotBlank();
            assertThat(root.path("component").path("groupId").asText()).isEqualTo("io.dockwatch");
            for (String section : List.of("componentProperties", "properties")) {
                root.path(section).fields().forEachRemaining(e -> {
                    if (e.getValue().path("description").asText().isBlank()) {
                        missing.add(scheme + " " + section + " " + e.getKey());
                    }
                });
            }
        }
        assertThat(missing).as("options without a description").isEmpty();
    }

    @Test
    void sourcesAreConsumersOnlyAndSinksProducersOnly() throws Exception {
        for (String scheme : SCHEMES) {
            JsonNode c = json.readTree(catalog.componentJSonSchema(scheme)).path("component");
            boolean sink = scheme.endsWith("-sink") || scheme.equals("ndjson-file");
            boolean spool = scheme.equals("spool");
            assertThat(c.path("producerOnly").asBoolean()).as("%s producerOnly", scheme).isEqualTo(sink);
            assertThat(c.path("consumerOnly").asBoolean()).as("%s consumerOnly", scheme).isEqualTo(!sink && !spool);
        }
    }

    /** The documented settings stay: each dockwatch.sink.X.* key is an option of that sink, the same both ways. */
    @Test
    void everySinkSettingIsAnOptionOfItsComponentAndOfItsEndpoints() throws Exception {
        Properties defaults = SinkTesting.defaults();
        Map<String, String> sinkOfPrefix = Map.of("dockwatch.sink.http.", "http-sink", "dockwatch.sink.syslog.",
                "syslog-sink", "dockwatch.sink.kafka.", "kafka-sink", "dockwatch.sink.file.", "ndjson-file");
        List<String> unmatched = new ArrayList<>();
        int matched = 0;
        for (String key : new TreeSet<>(defaults.stringPropertyNames())) {
            String prefix = sinkOfPrefix.keySet().stream().filter(key::startsWith).findFirst().orElse(null);
            if (prefix == null || key.endsWith(".enabled")) {
                continue; // .enabled switches the shipped route on or off: a route's matter, not an option
            }
            JsonNode root = json.readTree(catalog.componentJSonSchema(sinkOfPrefix.get(prefix)));
            boolean inComponent = describes(root.path("componentProperties"), key);
            boolean inEndpoint = describes(root.path("properties"), key);
            if (inComponent && inEndpoint) {
                matched++;
            } else {
                unmatched.add(key + (inComponent ? " (component only)" : inEndpoint ? " (endpoint only)" : ""));
            }
        }
        assertThat(unmatched).as("settings with no option that names them").isEmpty();
        assertThat(matched).as("sink settings checked").isGreaterThanOrEqualTo(25);
    }

    private static boolean describes(JsonNode options, String key) {
        var it = options.elements();
        while (it.hasNext()) {
            if (it.next().path("description").asText().contains("Setting: " + key + ".")) {
                return true;
            }
        }
        return false;
    }

    /** The shared services each source uses, besides settings and observe, which every source uses. */
    static final Map<String, List<String>> SOURCE_SERVICES = Map.ofEntries(
            Map.entry("docker-events", List.of("dockerDaemons", "spools", "containerContexts", "ownExecs")),
            Map.entry("docker-logs", List.of("dockerDaemons", "spools", "containerMetadata", "containerContexts", "logFiles")),
            Map.entry("docker-container-files", List.of("dockerDaemons", "spools", "containerMetadata", "ownExecs")),
            Map.entry("docker-config", List.of("dockerDaemons", "spools", "containerMetadata", "containerContexts")),
            Map.entry("docker-swarm-events", List.of("dockerDaemons", "spools", "sharedCheckpoints")),
            Map.entry("docker-service-logs", List.of("dockerDaemons", "spools", "containerMetadata", "sharedCheckpoints")),
            Map.entry("docker-stats", List.of("dockerDaemons", "containerMetadata", "containerContexts")),
            Map.entry("docker-daemon-stats", List.of("dockerDaemons")),
            Map.entry("host-stats", List.of("dockerDaemons")),
            Map.entry("host-logs", List.of("spools", "dockerDaemons")),
            Map.entry("daemon-log", List.of("spools", "dockerDaemons")));

    /**
     * The shared services a component is given are component options too, in the metadata and in
     * the generated configurer Camel autowires from (the registry's one bean of the type); a
     * source is given those it uses and no others.
     */
    @Test
    void theInjectedServicesAreAutowiredOptions() throws Exception {
        List<String> allSourceServices = List.of("settings", "dockerDaemons", "spools", "containerMetadata",
                "containerContexts", "observe", "sharedCheckpoints", "ownExecs", "logFiles");
        for (String scheme : SCHEMES) {
            boolean sink = scheme.endsWith("-sink") || scheme.equals("ndjson-file");
            List<String> services = new ArrayList<>(scheme.equals("spool") ? List.of("spools", "monitor")
                    : sink ? List.of("settings") : List.of("settings", "observe"));
            services.addAll(SOURCE_SERVICES.getOrDefault(scheme, List.of()));
            JsonNode options = json.readTree(catalog.componentJSonSchema(scheme)).path("componentProperties");
            // the configurer as Camel finds it for camel.component.<scheme>.*, without making the
            // component (which would assemble the services for real)
            var configurer = (org.apache.camel.spi.PropertyConfigurerGetter) org.apache.camel.support.PluginHelper
                    .getConfigurerResolver(camel).resolvePropertyConfigurer(scheme + "-component", camel);
            assertThat(configurer).as("%s component configurer", scheme).isNotNull();
            for (String service : services) {
                assertThat(options.path(service).path("autowired").asBoolean()).as("%s %s in the metadata", scheme, service)
                        .isTrue();
                assertThat(configurer.getAutowiredNames()).as("%s configurer", scheme).contains(service);
            }
            if (!sink && !scheme.equals("spool")) {
                List<String> unused = allSourceServices.stream().filter(s -> !services.contains(s)).toList();
                assertThat(configurer.getAutowiredNames()).as("%s is given only what it uses", scheme)
                        .doesNotContainAnyElementsOf(unused);
            }
        }
    }

    /** Each source's own settings are its options too (URI and camel.component.*), naming the setting. */
    @Test
    void sourceSettingsAreOptionsOfTheirSources() throws Exception {
        Map<String, List<String>> expected = new java.util.HashMap<>(Map.of(
                "docker-stats", List.of("interval:dockwatch.stats.interval", "concurrency:dockwatch.stats.concurrency",
                        "include:dockwatch.containers.include", "exclude:dockwatch.containers.exclude"),
                "host-stats", List.of("interval:dockwatch.stats.interval"),
                "docker-daemon-stats", List.of("interval:dockwatch.daemon.stats.interval"),
                "docker-logs", List.of("backlog:dockwatch.logs.backlog", "multilineStart:dockwatch.logs.multiline.start",
                        "multilineTimeout:dockwatch.logs.multiline.timeout", "include:dockwatch.containers.include",
                        "exclude:dockwatch.containers.exclude"),
                "docker-container-files", List.of("interval:dockwatch.logs.files.interval",
                        "include:dockwatch.containers.include", "exclude:dockwatch.containers.exclude"),
                "docker-config", List.of("envAllow:dockwatch.config.env.allow", "driftRetention:dockwatch.drift.retention"),
                "docker-swarm-events", List.of("backlog:dockwatch.events.backlog"),
                "docker-events", List.of("backlog:dockwatch.events.backlog"),
                "docker-service-logs", List.of("backlog:dockwatch.logs.backlog", "include:dockwatch.containers.include",
                        "exclude:dockwatch.containers.exclude")));
        expected.put("host-logs", List.of("backlog:dockwatch.host.logs.backlog"));
        expected.put("daemon-log", List.of("backlog:dockwatch.host.logs.backlog"));
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            JsonNode root = json.readTree(catalog.componentJSonSchema(e.getKey()));
            for (String optionAndKey : e.getValue()) {
                String option = optionAndKey.substring(0, optionAndKey.indexOf(':'));
                String key = optionAndKey.substring(option.length() + 1);
                for (String section : List.of("componentProperties", "properties")) {
                    assertThat(root.path(section).path(option).path("description").asText()).as("%s %s %s", e.getKey(),
                            section, option).contains("Setting: " + key + ".");
                }
            }
        }
    }

    /** What Camel's tooling answers for a URI: known options pass, a misspelt one is named, a bad choice too. */
    @Test
    void camelsValidationKnowsTheOptions() throws Exception {
        EndpointValidationResult good = validate("http-sink:logs?url=http://127.0.0.1:9/x&format=loki&gzip=true&maxBytes=512kb");
        assertThat(good.isSuccess()).as(good.summaryErrorMessage(false)).isTrue();
        EndpointValidationResult misspelt = validate("http-sink:logs?formatt=loki");
        assertThat(misspelt.isSuccess()).isFalse();
        assertThat(misspelt.getUnknown()).containsExactly("formatt");
        EndpointValidationResult badEnum = validate("syslog-sink:s?facility=local9");
        assertThat(badEnum.getInvalidEnum()).containsKey("facility");
        EndpointValidationResult source = validate("docker-events:all?types=container&scope=local");
        assertThat(source.isSuccess()).as(source.summaryErrorMessage(false)).isTrue();
        EndpointValidationResult spool = validate("spool:records?sink=x&batch=false&kinds=log");
        assertThat(spool.isSuccess()).as(spool.summaryErrorMessage(false)).isTrue();
    }

    private EndpointValidationResult validate(String uri) throws Exception {
        return catalog.validateProperties(uri.substring(0, uri.indexOf(':')), catalog.endpointProperties(uri));
    }
}
