package io.dockwatch.source;

import io.dockwatch.cluster.SharedCheckpoints;
import io.dockwatch.context.ContainerContexts;
import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.docker.DockerDaemons;
import io.dockwatch.docker.OwnExecs;
import io.dockwatch.enrich.ContainerMetadataCache;
import io.dockwatch.observe.Observe;
import io.dockwatch.settings.Settings;
import io.dockwatch.source.logs.file.LogFiles;
import io.dockwatch.spool.CheckpointStore;
import java.util.List;

/**
 * The shared services one source component was given (see {@link DockerSourceComponent}), handed
 * to its endpoints and consumers: not a registry of its own, only what the component holds.
 */
public final class SourceServices {
    private final Settings settings;
    private final DockerDaemons daemons;
    private final CheckpointStore checkpoints;
    private final ContainerMetadataCache metadata;
    private final ContainerContexts contexts;
    private final Observe observe;
    private final SharedCheckpoints sharedCheckpoints;
    private final OwnExecs ownExecs;
    private final LogFiles logFiles;

    public SourceServices(Settings settings, DockerDaemons daemons, CheckpointStore checkpoints,
            ContainerMetadataCache metadata, ContainerContexts contexts, Observe observe,
            SharedCheckpoints sharedCheckpoints, OwnExecs ownExecs, LogFiles logFiles) {
        this.settings = settings;
        this.daemons = daemons;
        this.checkpoints = checkpoints;
        this.metadata = metadata;
        this.contexts = contexts;
        this.observe = observe;
        this.sharedCheckpoints = sharedCheckpoints;
        this.ownExecs = ownExecs;
        this.logFiles = logFiles;
    }

    public Settings settings() {
        return settings;
    }

    /** The configured daemons, in configuration order. */
    public List<DockerDaemon> daemons() {
        return daemons.daemons();
    }

    public DockerDaemon daemon(String key) {
        return daemons.daemon(key);
    }

    /** The daemon's shared event stream (the metadata cache and the contexts always listen to it). */
    public DaemonEvents events(DockerDaemon daemon) {
        return daemons.events(daemon);
    }

    public DaemonEvents eventsIfStarted(DockerDaemon daemon) {
        return daemons.eventsIfStarted(daemon);
    }

    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    public ContainerMetadataCache metadata() {
        return metadata;
    }

    /** What was last seen of each container, for events that need explaining. */
    public ContainerContexts contexts() {
        return contexts;
    }

    public Observe observe() {
        return observe;
    }

    /** Checkpoints of once-per-cluster sources, shared through the cluster folder. */
    public SharedCheckpoints sharedCheckpoints() {
        return sharedCheckpoints;
    }

    /** The execs the collector made itself, by ID: their events are not recorded. */
    public OwnExecs ownExecs() {
        return ownExecs;
    }

    /** Where each container's log is read: its json-file files or the API ({@code dockwatch.logs.read}). */
    public LogFiles logFiles() {
        return logFiles;
    }
}
