package io.dockwatch.source.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.DockwatchServices;
import io.dockwatch.context.ContainerContexts;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.record.Json;
import io.dockwatch.record.Record;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.DockerSourceConsumer;
import io.dockwatch.spool.Checkpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.camel.Processor;

/**
 * Records every event of every daemon, in order, and checkpoints {@code events/<endpoint>} with
 * each record, so a reconnect or a restart resumes right after the last recorded event.
 *
 * <p>Events are recorded on a worker of their own, not on the daemon's dispatcher: an event that
 * needs explaining (see {@link #explains}) may wait a moment for the container's last log lines,
 * and that wait must not hold up the other listeners (config, metadata cache).
 */
final class EventsConsumer extends DockerSourceConsumer {
    /** How long a die event waits for its container's log to be read to the end. */
    private static final long LOGS_WAIT_MS = 3000;

    private final Set<String> types;
    private final String scope;
    private final List<Registration> registrations = new ArrayList<>();

    private record Registration(DaemonEvents events, DaemonEvents.Listener listener, Thread worker) {
    }

    private record Pending(JsonNode event, JsonNode position) {
    }

    EventsConsumer(EventsEndpoint endpoint, Processor processor, DockwatchServices services, Set<String> types,
            String scope) {
        super(endpoint, processor, services);
        this.types = types;
        this.scope = scope;
    }

    static String checkpointKey(DockerDaemon daemon) {
        return "events/" + daemon.key();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        boolean backlogAll = services.settings().choice(Settings.EVENTS_BACKLOG, Settings.EventsBacklog.class,
                Settings.EventsBacklog::spelling) == Settings.EventsBacklog.ALL;
        for (DockerDaemon daemon : services.daemons()) {
            DaemonEvents events = services.events(daemon);
            String key = checkpointKey(daemon);
            JsonNode checkpoint = services.checkpoints().get(key);
            if (checkpoint != null) {
                events.resumeFrom(checkpoint);
            } else if (backlogAll) {
                events.resumeFrom(Json.NODES.objectNode().put("time_nano", 1L));
            }
            BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
            DaemonEvents.Listener listener = (ev, position) -> {
                boolean inScope = scope.isEmpty() || scope.equals(ev.path("scope").asText(EventsComponent.LOCAL_SCOPE));
                if (inScope && (types.isEmpty() || types.contains(ev.path("Type").asText()))) {
                    queue.add(new Pending(ev, position));
                }
            };
            Thread worker = new Thread(() -> record(daemon, key, queue), "dockwatch-events-" + daemon.key());
            worker.setDaemon(true);
            worker.start();
            events.addListener(listener);
            registrations.add(new Registration(events, listener, worker));
            startEventsWhenReady(events);
        }
    }

    private void record(DockerDaemon daemon, String key, BlockingQueue<Pending> queue) {
        ContainerContexts contexts = services.contexts();
        java.util.Set<String> ownExecIds = new java.util.HashSet<>();
        while (isRunAllowed()) {
            Pending p;
            try {
                p = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            JsonNode ev = p.event();
            if (isOwnExec(ev, ownExecIds) || isOwnExecDieFromBeforeARestart(daemon, ev)) {
                emit(daemon, null, List.of(new Checkpoint(key, p.position()))); // move on, record nothing
                continue;
            }
            Record r = EventRecords.toRecord(ev, daemon);
            if (explains(ev)) {
                String id = ev.path("Actor").path("ID").asText();
                if ("die".equals(ev.path("Action").asText())) {
                    contexts.awaitLogs(daemon.key(), id, LOGS_WAIT_MS);
                }
                ObjectNode context = contexts.snapshot(daemon.key(), id);
                if (context != null) {
                    r.put("context", context);
                }
            }
            if ("container".equals(ev.path("Type").asText()) && "destroy".equals(ev.path("Action").asText())) {
                contexts.destroyed(daemon.key(), ev.path("Actor").path("ID").asText());
            }
            emit(daemon, r, List.of(new Checkpoint(key, p.position())));
        }
    }

    /**
     * exec events of the collector's own reads of files inside containers: exec_create and
     * exec_start name the command (marked), exec_die only the exec ID seen with them.
     */
    static boolean isOwnExec(JsonNode ev, java.util.Set<String> ownExecIds) {
        String action = ev.path("Action").asText();
        if (!action.startsWith("exec_")) {
            return false;
        }
        String execId = ev.path("Actor").path("Attributes").path("execID").asText("");
        if (action.endsWith(" " + io.dockwatch.source.containerfiles.Exec.OWN_COMMAND_MARK)) {
            if (!execId.isEmpty() && ownExecIds.size() < 10_000) {
                ownExecIds.add(execId);
            }
            return true;
        }
        return action.equals("exec_die") && ownExecIds.remove(execId);
    }

    /**
     * An exec_die whose exec_create was seen by the previous run of the collector: the exec is
     * looked up once (rare: only across a restart, or for someone else's docker exec).
     */
    private static boolean isOwnExecDieFromBeforeARestart(DockerDaemon daemon, JsonNode ev) {
        if (!"exec_die".equals(ev.path("Action").asText())) {
            return false;
        }
        String execId = ev.path("Actor").path("Attributes").path("execID").asText("");
        try {
            JsonNode args = daemon.get("/exec/" + execId + "/json").path("ProcessConfig").path("arguments");
            return args.size() > 0
                    && io.dockwatch.source.containerfiles.Exec.OWN_COMMAND_MARK.equals(args.get(args.size() - 1).asText());
        } catch (io.dockwatch.docker.DockerApiException e) {
            return false;
        }
    }

    /** A non-zero die, an oom, a kill, or a failed health check: the operator wants the why. */
    static boolean explains(JsonNode ev) {
        if (!"container".equals(ev.path("Type").asText())) {
            return false;
        }
        String action = ev.path("Action").asText();
        return switch (action) {
            case "oom", "kill" -> true;
            case "die" -> !"0".equals(ev.path("Actor").path("Attributes").path("exitCode").asText("0"));
            default -> action.startsWith("health_status") && action.endsWith("unhealthy");
        };
    }

    @Override
    protected void doStop() throws Exception {
        for (Registration r : registrations) {
            r.events().removeListener(r.listener());
            r.worker().interrupt();
        }
        for (Registration r : registrations) {
            r.worker().join(2000);
        }
        registrations.clear();
        super.doStop();
    }
}
