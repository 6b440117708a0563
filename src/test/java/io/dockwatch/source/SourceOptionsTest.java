package io.dockwatch.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dockwatch.settings.Settings;
import io.dockwatch.sink.SinkTesting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Component;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.support.PropertyBindingSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source's options, like a sink's: on the URI first, then as camel.component.SCHEME.OPTION (bound
 * as Camel main binds it, through the generated configurer), then the dockwatch.* setting; read by
 * the consumer through the endpoint's settings. On real endpoints of a real Camel context.
 */
class SourceOptionsTest {
    @TempDir
    Path tmp;

    private static void bindComponentOptions(SinkTesting t, String scheme, Map<String, Object> options) {
        Component component = t.camel().getComponent(scheme);
        Map<String, Object> left = new HashMap<>(options);
        PropertyBindingSupport.build().withCamelContext(t.camel()).withTarget(component)
                .withConfigurer(component.getComponentPropertyConfigurer()).withProperties(left).withRemoveParameters(true)
                .bind();
        assertThat(left).as("options Camel could not bind").isEmpty();
    }

    private static Settings settingsOf(SinkTesting t, String uri) {
        return t.camel().getEndpoint(uri, SourceEndpoint.class).settings();
    }

    @Test
    void uriThenComponentThenSetting() throws Exception {
        try (SinkTesting t = new SinkTesting(tmp, Map.of(Settings.STATS_INTERVAL, "7s",
                Settings.CONTAINERS_INCLUDE, "web-*"))) {
            Settings settingsOnly = settingsOf(t, "docker-stats:a");
            assertThat(settingsOnly.duration(Settings.STATS_INTERVAL)).isEqualTo(Duration.ofSeconds(7));
            assertThat(settingsOnly.list(Settings.CONTAINERS_INCLUDE)).containsExactly("web-*");
            assertThat(settingsOnly.string(Settings.STATS_CONCURRENCY)).as("the built-in default").isEqualTo("500");

            bindComponentOptions(t, "docker-stats", Map.of("interval", "3s", "concurrency", "20"));
            Settings component = settingsOf(t, "docker-stats:b");
            assertThat(component.duration(Settings.STATS_INTERVAL)).isEqualTo(Duration.ofSeconds(3));
            assertThat(component.string(Settings.STATS_CONCURRENCY)).isEqualTo("20");
            assertThat(component.list(Settings.CONTAINERS_INCLUDE)).as("still the setting").containsExactly("web-*");

            Settings uri = settingsOf(t, "docker-stats:c?interval=1m&exclude=db-*,cache-*");
            assertThat(uri.duration(Settings.STATS_INTERVAL)).isEqualTo(Duration.ofMinutes(1));
            assertThat(uri.list(Settings.CONTAINERS_EXCLUDE)).containsExactly("db-*", "cache-*");
            assertThat(uri.string(Settings.STATS_CONCURRENCY)).as("the component's").isEqualTo("20");

            assertThat(settingsOf(t, "docker-stats:d").duration(Settings.STATS_INTERVAL))
                    .as("an endpoint's option leaves the component's alone").isEqualTo(Duration.ofSeconds(3));
            assertThat(settingsOf(t, "host-stats:proc").duration(Settings.STATS_INTERVAL))
                    .as("another component's option is its own").isEqualTo(Duration.ofSeconds(7));

            // one option per setting of each source: logs, container files, config, daemon stats, swarm
            Settings logs = settingsOf(t, "docker-logs:x?backlog=new&include=api-*&multilineStart=^\\d&multilineTimeout=3s");
            assertThat(logs.logsBacklog()).isZero();
            assertThat(logs.list(Settings.CONTAINERS_INCLUDE)).containsExactly("api-*");
            assertThat(logs.pattern(Settings.LOGS_MULTILINE_START).pattern()).isEqualTo("^\\d");
            assertThat(logs.duration(Settings.LOGS_MULTILINE_TIMEOUT)).isEqualTo(Duration.ofSeconds(3));
            assertThat(settingsOf(t, "docker-container-files:x?interval=5s").duration(Settings.LOGS_FILES_INTERVAL))
                    .isEqualTo(Duration.ofSeconds(5));
            Settings config = settingsOf(t, "docker-config:x?envAllow=PATH,APP_*&driftRetention=1d");
            assertThat(config.list(Settings.CONFIG_ENV_ALLOW)).containsExactly("PATH", "APP_*");
            assertThat(config.duration(Settings.DRIFT_RETENTION)).isEqualTo(Duration.ofDays(1));
            assertThat(settingsOf(t, "docker-daemon-stats:x?interval=2m").duration(Settings.DAEMON_STATS_INTERVAL))
                    .isEqualTo(Duration.ofMinutes(2));
            assertThat(t.camel().getEndpoint("docker-events:x?backlog=all", io.dockwatch.source.events.EventsEndpoint.class)
                    .settings().string(Settings.EVENTS_BACKLOG)).isEqualTo("all");
            assertThat(settingsOf(t, "docker-swarm-events:x?backlog=all").string(Settings.EVENTS_BACKLOG)).isEqualTo("all");
            assertThat(settingsOf(t, "docker-service-logs:x?backlog=100").logsBacklog()).isEqualTo(100);
            assertThat(t.camel().getEndpoint("host-logs:x?backlog=none", io.dockwatch.source.hostlogs.HostLogsEndpoint.class)
                    .settings().string(Settings.HOST_LOGS_BACKLOG)).isEqualTo("none");
            assertThat(t.camel().getEndpoint("daemon-log:x?backlog=none", io.dockwatch.source.daemonlog.DaemonLogEndpoint.class)
                    .settings().string(Settings.HOST_LOGS_BACKLOG)).isEqualTo("none");
        }
    }

    @Test
    void aMisspeltOptionAndABadValueAreRefusedNamingThem() throws Exception {
        try (SinkTesting t = new SinkTesting(tmp, Map.of())) {
            assertThatThrownBy(() -> t.camel().getEndpoint("docker-stats:x?intervall=1s"))
                    .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("Unknown parameters=[{intervall=1s}]");
            assertThatThrownBy(() -> t.camel().getEndpoint("docker-stats:x?interval=soon"))
                    .hasStackTraceContaining("Invalid option docker-stats interval=soon (as dockwatch.stats.interval): "
                            + "allowed a positive duration");
            assertThatThrownBy(() -> t.camel().getEndpoint("docker-stats:x?concurrency=0"))
                    .hasStackTraceContaining("Invalid option docker-stats concurrency=0 (as dockwatch.stats.concurrency)");
            assertThatThrownBy(() -> t.camel().getEndpoint("docker-logs:x?backlog=sometimes"))
                    .hasStackTraceContaining("Invalid option docker-logs backlog=sometimes (as dockwatch.logs.backlog)");
            assertThatThrownBy(() -> t.camel().getEndpoint("host-logs:x?backlog=some"))
                    .hasStackTraceContaining("Invalid option host-logs backlog=some (as dockwatch.host.logs.backlog)");
            assertThatThrownBy(() -> t.camel().getEndpoint("docker-events:x?backlog=some"))
                    .hasStackTraceContaining("Invalid option docker-events backlog=some (as dockwatch.events.backlog)");
            assertThatThrownBy(() -> bindComponentOptions(t, "docker-logs", Map.of("backlogg", "new")))
                    .hasMessageContaining("backlogg");
        }
    }

    /** A source is given the services it uses and no others; asking for another names what is missing. */
    @Test
    void aSourceHasOnlyTheServicesItUses() throws Exception {
        try (SinkTesting t = new SinkTesting(tmp, Map.of())) {
            SourceServices stats = t.camel().getEndpoint("docker-stats:x", SourceEndpoint.class).services();
            assertThat(stats.metadata()).isNotNull();
            assertThat(stats.daemons()).isNotEmpty();
            assertThatThrownBy(stats::checkpoints).hasMessageContaining("docker-stats was not given spools");
            assertThatThrownBy(stats::logFiles).hasMessageContaining("docker-stats was not given logFiles");
            SourceServices daemonStats = t.camel().getEndpoint("docker-daemon-stats:x", SourceEndpoint.class).services();
            for (Runnable notGiven : List.<Runnable>of(daemonStats::metadata, daemonStats::contexts, daemonStats::ownExecs,
                    daemonStats::sharedCheckpoints)) {
                assertThatThrownBy(notGiven::run).isInstanceOf(IllegalStateException.class);
            }
        }
    }
}
