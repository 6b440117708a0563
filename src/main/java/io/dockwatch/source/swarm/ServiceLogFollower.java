package io.dockwatch.source.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.docker.DirectStream;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.enrich.ContainerMetadata;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one service's log through the manager until the service is removed; the manager's
 * stream ends when the manager restarts or loses quorum, so it is reopened with backoff from the
 * per-task checkpoint. The lines of one read are emitted together with the positions after them.
 */
final class ServiceLogFollower implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceLogFollower.class);
    private static final long MAX_BACKOFF_MS = 30_000;

    private final ServiceLogsConsumer owner;
    private final DockerDaemon daemon;
    private final String serviceId;
    private final String serviceName;
    private final String key;
    private final boolean fromBeginning;
    private volatile boolean stopped;
    private volatile DirectStream current;

    /** Durable positions (what the spool has); {@code reading} runs ahead within one read. */
    private TaskPositions positions;
    private TaskPositions reading;
    private TaskPositions skip;
    /** Per task, entries seen at its checkpoint's timestamp since this read began. */
    private final Map<String, Integer> resumeSeen = new java.util.HashMap<>();
    private final List<Record> batch = new ArrayList<>();
    /** Task ID → its container's metadata (empty when the task could not be looked up). */
    private final Map<String, ContainerMetadata> tasks = new ConcurrentHashMap<>();

    ServiceLogFollower(ServiceLogsConsumer owner, DockerDaemon daemon, String serviceId, String serviceName, String key,
            TaskPositions positions, boolean fromBeginning) {
        this.owner = owner;
        this.daemon = daemon;
        this.serviceId = serviceId;
        this.serviceName = serviceName;
        this.key = key;
        this.positions = positions;
        this.fromBeginning = fromBeginning;
    }

    String serviceId() {
        return serviceId;
    }

    void stop() {
        stopped = true;
        DirectStream r = current;
        if (r != null) {
            r.close();
        }
    }

    @Override
    public void run() {
        long backoffMs = 500;
        try {
            while (!stopped) {
                try {
                    follow();
                    backoffMs = 500;
                } catch (DockerApiException e) {
                    if (e.isNotFound()) {
                        return; // the service is gone
                    }
                    LOG.debug("Service log of {} on {}: {}", serviceName, daemon, e.getMessage());
                } catch (IOException e) {
                    LOG.debug("Service log of {} on {} interrupted: {}", serviceName, daemon, e.toString());
                }
                if (stopped) {
                    return;
                }
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Service log follower for {} on {} failed: {}", serviceName, daemon, e.toString());
        } finally {
            owner.finished(this);
        }
    }

    private void follow() throws IOException {
        JsonNode service = daemon.get("/services/" + serviceId);
        boolean tty = service.path("Spec").path("TaskTemplate").path("ContainerSpec").path("TTY").asBoolean();
        StringBuilder q = new StringBuilder("/services/").append(serviceId)
                .append("/logs?stdout=1&stderr=1&follow=1&timestamps=1&details=1");
        String since = positions.sinceParam();
        if (since != null) {
            q.append("&since=").append(since);
        } else if (!fromBeginning) {
            int backlog = owner.backlog();
            if (backlog == 0) {
                q.append("&since=").append(Instant.now().getEpochSecond());
            } else if (backlog > 0) {
                q.append("&tail=").append(backlog);
            }
        }
        skip = positions;
        reading = positions;
        resumeSeen.clear();
        ServiceLogParser parser = new ServiceLogParser(tty, new ServiceLogParser.EntrySink() {
            @Override
            public void entry(ServiceLogParser.Entry e) {
                onEntry(e);
            }

            @Override
            public boolean alreadyDelivered(String taskId, String ts) {
                return ServiceLogFollower.this.alreadyDelivered(taskId, ts);
            }
        });
        try (DirectStream r = daemon.directStream(q.toString())) {
            current = r;
            while (!stopped) {
                byte[] buf = parser.buffer();
                int off = parser.writeOffset();
                int n = r.read(buf, off, buf.length - off);
                if (n < 0) {
                    break;
                }
                parser.parse(n);
                emitBatch();
            }
        } finally {
            current = null;
        }
    }

    /**
     * Whether a raw entry was delivered before (Docker's {@code since} is inclusive and one
     * {@code since} serves every task): asked per entry, before long lines are joined.
     */
    private boolean alreadyDelivered(String taskId, String ts) {
        TaskPositions.Position done = skip.get(taskId);
        if (done == null) {
            return false;
        }
        int c = ts.compareTo(done.ts());
        return c < 0 || (c == 0 && resumeSeen.merge(taskId, 1, Integer::sum) <= done.count());
    }

    /** Turns a line into a record; the task's position moves past the entries it consumed. */
    private void onEntry(ServiceLogParser.Entry e) {
        reading = reading.after(e.taskId(), e.lastTs(), e.countAtLastTs());
        ContainerMetadata meta = task(e.taskId(), e.nodeId());
        if (meta != null && !owner.filter().accepts(meta)) {
            return; // excluded, or labelled dockwatch.enable=false: its position still moves on
        }
        Record r = Record.of(Kind.LOG, e.timestamp());
        daemon.stampHost(r);
        if (meta != null) {
            meta.applyTo(r);
        }
        r.put(Fields.SWARM_SERVICE_NAME, serviceName);
        r.put(Fields.SWARM_TASK_ID, e.taskId());
        r.put(Fields.SWARM_NODE_ID, e.nodeId());
        r.put(Fields.MESSAGE, e.message());
        r.put(Fields.LOG_STREAM, e.stream());
        batch.add(r);
    }

    private void emitBatch() {
        if (batch.isEmpty() && reading.equals(positions)) {
            return;
        }
        List<Record> records = new ArrayList<>(batch);
        batch.clear();
        if (owner.emitLines(daemon, records, key, reading.toJson())) {
            positions = reading;
        } else {
            throw new IllegalStateException("route refused service log records of " + serviceName);
        }
    }

    /**
     * The task's container, looked up once per task: its container may run on another node, where
     * the manager cannot inspect it, so the metadata comes from the task and is put in the cache
     * for the enricher (unless the container is local and already known better).
     */
    private ContainerMetadata task(String taskId, String nodeId) {
        if (taskId.isEmpty()) {
            return null;
        }
        ContainerMetadata known = tasks.get(taskId);
        if (known != null) {
            return known.id().isEmpty() ? null : known;
        }
        ContainerMetadata meta;
        try {
            JsonNode t = daemon.get("/tasks/" + taskId);
            String containerId = t.path("Status").path("ContainerStatus").path("ContainerID").asText("");
            int slot = t.path("Slot").asInt(0);
            String name = serviceName + "." + (slot > 0 ? String.valueOf(slot) : nodeId) + "." + taskId;
            Map<String, String> labels = new TreeMap<>();
            t.path("Spec").path("ContainerSpec").path("Labels").fields()
                    .forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
            labels.put(Fields.LABEL_SWARM_SERVICE_NAME, serviceName);
            labels.put(Fields.LABEL_SWARM_TASK_ID, taskId);
            labels.put(Fields.LABEL_SWARM_NODE_ID, nodeId);
            String image = t.path("Spec").path("ContainerSpec").path("Image").asText("");
            int at = image.indexOf('@');
            meta = new ContainerMetadata(containerId, name, at > 0 ? image.substring(0, at) : image,
                    Collections.unmodifiableMap(labels));
            if (!containerId.isEmpty() && owner.services().metadata().peek(daemon, containerId) == null) {
                owner.services().metadata().put(daemon, meta);
            }
        } catch (DockerApiException ex) {
            meta = new ContainerMetadata("", "", "", Map.of());
        }
        tasks.put(taskId, meta);
        return meta.id().isEmpty() ? null : meta;
    }
}
