package io.dockwatch.observe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The collector's daemon and sink checks as Camel health checks, so Camel's own health tooling
 * (a host runtime's health endpoint, {@code HealthCheckHelper}, the developer console) sees a
 * Docker daemon unreachable or a sink failing for longer than its limit, as
 * {@code /observe/health} does. Readiness checks only: neither is a reason to restart the process.
 * The checks come and go with the daemons followed and the sinks started; each reads the same
 * state, with the same limits, as {@link Observe#health}.
 */
public final class DockwatchHealthChecks implements HealthCheckRepository {
    public static final String ID = "dockwatch";
    public static final String GROUP = "dockwatch";

    private final Observe observe;
    private final Map<String, Check> checks = new ConcurrentHashMap<>();
    private volatile boolean enabled = true;

    DockwatchHealthChecks(Observe observe) {
        this.observe = observe;
    }

    /** Adds the repository to the context's health check registry, once; no registry (health off): nothing. */
    public static void register(CamelContext camel, Observe observe) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(camel);
        if (registry != null && registry.getRepository(ID).isEmpty()) {
            registry.register(new DockwatchHealthChecks(observe));
        }
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Stream<HealthCheck> stream() {
        List<HealthCheck> out = new ArrayList<>();
        for (JsonNode c : observe.health(Observe.Check.HEALTH).path("checks")) {
            String name = c.path("name").asText();
            // "routes" is Camel's own concern: its routes and consumers checks cover it
            if (name.startsWith("daemon ") || name.startsWith("sink ")) {
                out.add(checks.computeIfAbsent(name, Check::new));
            }
        }
        return out.stream();
    }

    /** One daemon or sink, by the name /observe/health gives it ("daemon unix:///...", "sink file"). */
    private final class Check extends AbstractHealthCheck {
        private final String name;

        Check(String name) {
            super(GROUP, GROUP + "-" + name.replace(' ', '-'));
            this.name = name;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            for (JsonNode c : observe.health(Observe.Check.HEALTH).path("checks")) {
                if (name.equals(c.path("name").asText())) {
                    builder.message(c.path("reason").asText());
                    if ("UP".equals(c.path("status").asText())) {
                        builder.up();
                    } else {
                        builder.down();
                    }
                    return;
                }
            }
            builder.message("no longer followed").up(); // a sink stopped or a daemon no longer read
        }
    }
}
