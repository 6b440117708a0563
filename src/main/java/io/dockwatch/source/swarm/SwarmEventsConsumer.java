package io.dockwatch.source.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.source.SourceServices;
import io.dockwatch.cluster.SharedCheckpoints;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.DockerSourceConsumer;
import io.dockwatch.source.SourceEndpoint;
import io.dockwatch.source.events.EventRecords;
import io.dockwatch.spool.Checkpoint;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /events?filters={"scope":["swarm"]}} subscription per daemon, of its own: a new
 * leader must rewind to the cluster's checkpoint, which the daemon's shared stream (already
 * running for the local sources) cannot do.
 *
 * <pre>
 *  start (leadership taken) ── resume from the newer of: shared checkpoint, own spool checkpoint
 *  each event ──► record + checkpoint swarm-events/&lt;endpoint&gt; ──► spool (durable)
 *                                                      └──► copied to the cluster folder
 *  stop (leadership lost, SIGTERM) ── last copy, stream closed
 * </pre>
 */
final class SwarmEventsConsumer extends DockerSourceConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(SwarmEventsConsumer.class);
    private static final String SWARM_SCOPE_FILTER = "{\"scope\":[\"swarm\"]}";

    private record Subscription(DaemonEvents events, String key) {
    }

    private final List<Subscription> subscriptions = new ArrayList<>();

    SwarmEventsConsumer(SourceEndpoint endpoint, Processor processor, SourceServices services) {
        super(endpoint, processor, services);
    }

    static String checkpointKey(DockerDaemon daemon) {
        return "swarm-events/" + daemon.key();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        SharedCheckpoints shared = services.sharedCheckpoints();
        boolean backlogAll = services.settings().choice(Settings.EVENTS_BACKLOG, Settings.EventsBacklog.class,
                Settings.EventsBacklog::spelling) == Settings.EventsBacklog.ALL;
        for (DockerDaemon daemon : services.daemons()) {
            String key = checkpointKey(daemon);
            JsonNode from = newer(services.checkpoints().get(key), shared.read(key));
            DaemonEvents events = new DaemonEvents(daemon, SWARM_SCOPE_FILTER);
            if (from == null && backlogAll) {
                events.resumeFrom(io.dockwatch.record.Json.NODES.objectNode().put("time_nano", 1L));
            } else if (from != null) {
                events.resumeFrom(from);
                LOG.info("Swarm events of {} resume from the cluster checkpoint ({})", daemon.endpointText(),
                        io.dockwatch.record.Record.fromNanos(from.path("time_nano").asLong()));
            }
            events.addListener((ev, position) ->
                    emit(daemon, EventRecords.toRecord(ev, daemon), List.of(new Checkpoint(key, position))));
            shared.share(key);
            subscriptions.add(new Subscription(events, key));
            startEventsWhenReady(events);
        }
    }

    /** Events positions compare by time; the later one has seen more. */
    static JsonNode newer(JsonNode a, JsonNode b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.path("time_nano").asLong() > a.path("time_nano").asLong() ? b : a;
    }

    @Override
    protected void doStop() throws Exception {
        for (Subscription s : subscriptions) {
            s.events().stop();
            services.sharedCheckpoints().stopSharing(s.key());
        }
        subscriptions.clear();
        super.doStop();
    }
}
