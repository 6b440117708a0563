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
 * to its endpoints and consumers: not a registry of its own, only what the component holds. A
 * component is given only the services it uses; asking for another is a programming error, named.
 */
public final class SourceServices {
    private final String scheme;
    private final Settings settings;
    private final Observe observe;
    private DockerDaemons daemons;
    private CheckpointStore checkpoints;
    private ContainerMetadataCache metadata;
    private ContainerContexts contexts;
    private SharedCheckpoints sharedCheckpoints;
    private OwnExecs ownExecs;
    private LogFiles logFiles;

    /** What every source uses: its settings, and the metrics each record it reads is counted in. */
    public SourceServices(String scheme, Settings settings, Observe observe) {
        this.scheme = scheme;
        this.settings = settings;
        this.observe = observe;
    }

    private SourceServices copy(Settings settings) {
        SourceServices c = new SourceServices(scheme, settings, observe);
        c.daemons = daemons;
        c.checkpoints = checkpoints;
        c.metadata = metadata;
        c.contexts = contexts;
        c.sharedCheckpoints = sharedCheckpoints;
        c.ownExecs = ownExecs;
        c.logFiles = logFiles;
        return c;
    }

    /** The same services read with other settings: an endpoint's, its options laid over the keys they stand for. */
    public SourceServices withSettings(Settings endpointSettings) {
        return copy(endpointSettings);
    }

    public SourceServices withDaemons(DockerDaemons daemons) {
        SourceServices c = copy(settings);
        c.daemons = daemons;
        return c;
    }

    public SourceServices withCheckpoints(CheckpointStore checkpoints) {
        SourceServices c = copy(settings);
        c.checkpoints = checkpoints;
        return c;
    }

    public SourceServices withMetadata(ContainerMetadataCache metadata) {
        SourceServices c = copy(settings);
        c.metadata = metadata;
        return c;
    }

    public SourceServices withContexts(ContainerContexts contexts) {
        SourceServices c = copy(settings);
        c.contexts = contexts;
        return c;
    }

    public SourceServices withSharedCheckpoints(SharedCheckpoints sharedCheckpoints) {
        SourceServices c = copy(settings);
        c.sharedCheckpoints = sharedCheckpoints;
        return c;
    }

    public SourceServices withOwnExecs(OwnExecs ownExecs) {
        SourceServices c = copy(settings);
        c.ownExecs = ownExecs;
        return c;
    }

    public SourceServices withLogFiles(LogFiles logFiles) {
        SourceServices c = copy(settings);
        c.logFiles = logFiles;
        return c;
    }

    private <T> T given(T service, String name) {
        if (service == null) {
            throw new IllegalStateException(scheme + " was not given " + name + ": add it to the services its component"
                    + " resolves (DockerSourceComponent#services)");
        }
        return service;
    }

    public Settings settings() {
        return settings;
    }

    /** The configured daemons, in configuration order. */
    public List<DockerDaemon> daemons() {
        return given(daemons, "dockerDaemons").daemons();
    }

    public DockerDaemon daemon(String key) {
        return given(daemons, "dockerDaemons").daemon(key);
    }

    /** The daemon's shared event stream (the metadata cache and the contexts always listen to it). */
    public DaemonEvents events(DockerDaemon daemon) {
        return given(daemons, "dockerDaemons").events(daemon);
    }

    public DaemonEvents eventsIfStarted(DockerDaemon daemon) {
        return given(daemons, "dockerDaemons").eventsIfStarted(daemon);
    }

    public CheckpointStore checkpoints() {
        return given(checkpoints, "spools");
    }

    public ContainerMetadataCache metadata() {
        return given(metadata, "containerMetadata");
    }

    /** What was last seen of each container, for events that need explaining. */
    public ContainerContexts contexts() {
        return given(contexts, "containerContexts");
    }

    public Observe observe() {
        return observe;
    }

    /** Checkpoints of once-per-cluster sources, shared through the cluster folder. */
    public SharedCheckpoints sharedCheckpoints() {
        return given(sharedCheckpoints, "sharedCheckpoints");
    }

    /** The execs the collector made itself, by ID: their events are not recorded. */
    public OwnExecs ownExecs() {
        return given(ownExecs, "ownExecs");
    }

    /** Where each container's log is read: its json-file files or the API ({@code dockwatch.logs.read}). */
    public LogFiles logFiles() {
        return given(logFiles, "logFiles");
    }
}
