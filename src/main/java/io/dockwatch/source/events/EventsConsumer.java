package io.dockwatch.source.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.source.SourceServices;
import io.dockwatch.context.ContainerContexts;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.docker.OwnExecs;
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
    /** How long an exec_create waits for the answer to a create of ours in flight on the same container. */
    private static final long CREATE_ANSWER_WAIT_MS = 2000;

    private final Set<String> types;
    private final String scope;
    private final List<Registration> registrations = new ArrayList<>();

    private record Registration(DaemonEvents events, DaemonEvents.Listener listener, Thread worker) {
    }

    private record Pending(JsonNode event, JsonNode position) {
    }

    EventsConsumer(EventsEndpoint endpoint, Processor processor, SourceServices services, Set<String> types,
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
        OwnExecs ownExecs = services.ownExecs();
        while (isRunAllowed()) {
            Pending p;
            try {
                p = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            JsonNode ev = p.event();
            if (isOwnExec(daemon, ev, ownExecs)) {
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
            emit(daemon, r, List.of(new Checkpoint(key, p.position())));
        }
    }

    /**
     * An exec event of the collector's own reads of files inside containers, known by the exec ID
     * its create answered (see {@link OwnExecs}); a user's exec is recorded whatever its command.
     */
    static boolean isOwnExec(DockerDaemon daemon, JsonNode ev, OwnExecs ownExecs) {
        String action = ev.path("Action").asText();
        if (!action.startsWith("exec_") || !"container".equals(ev.path("Type").asText())) {
            return false;
        }
        String execId = ev.path("Actor").path("Attributes").path("execID").asText("");
        if (execId.isEmpty()) {
            return false;
        }
        if (action.startsWith("exec_create")) {
            return ownExecs.awaitOwn(daemon.key(), ev.path("Actor").path("ID").asText(), execId, CREATE_ANSWER_WAIT_MS);
        }
        boolean own = ownExecs.isOwn(execId);
        if (own && action.equals("exec_die")) {
            ownExecs.finished(execId);
        }
        return own;
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
