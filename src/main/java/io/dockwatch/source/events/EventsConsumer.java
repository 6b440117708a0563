package io.dockwatch.source.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.DockwatchServices;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.DockerSourceConsumer;
import io.dockwatch.spool.Checkpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.camel.Processor;

/**
 * Records every event of every daemon. Runs on the daemon's dispatcher thread (the reader has
 * already handed the event off), and checkpoints {@code events/<endpoint>} with each record, so a
 * reconnect or a restart resumes right after the last recorded event.
 */
final class EventsConsumer extends DockerSourceConsumer {
    private final Set<String> types;
    private final String scope;
    private final List<Registration> registrations = new ArrayList<>();

    private record Registration(DaemonEvents events, DaemonEvents.Listener listener) {
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
                events.resumeFrom(io.dockwatch.record.Json.NODES.objectNode().put("time_nano", 1L));
            }
            DaemonEvents.Listener listener = (ev, position) -> {
                boolean inScope = scope.isEmpty() || scope.equals(ev.path("scope").asText(EventsComponent.LOCAL_SCOPE));
                if (inScope && (types.isEmpty() || types.contains(ev.path("Type").asText()))) {
                    emit(daemon, EventRecords.toRecord(ev, daemon), List.of(new Checkpoint(key, position)));
                }
            };
            events.addListener(listener);
            registrations.add(new Registration(events, listener));
            startEventsWhenReady(events);
        }
    }

    @Override
    protected void doStop() throws Exception {
        registrations.forEach(r -> r.events().removeListener(r.listener()));
        registrations.clear();
        super.doStop();
    }
}
