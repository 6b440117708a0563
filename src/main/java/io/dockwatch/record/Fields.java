package io.dockwatch.record;

/**
 * Field names of records (CONTRACT.md, "Records"). Dotted names are nested objects:
 * {@code container.image.name} is {@code {"container":{"image":{"name":...}}}}.
 */
public final class Fields {
    public static final String TIMESTAMP = "@timestamp";
    public static final String KIND = "kind";
    public static final String MESSAGE = "message";

    public static final String HOST_NAME = "host.name";
    /** The Docker endpoint a record came from, so two daemons with one host name stay apart. */
    public static final String HOST_ENDPOINT = "host.endpoint";
    public static final String HOST_DAEMON_ID = "host.daemon_id";

    public static final String CONTAINER = "container";
    public static final String CONTAINER_ID = "container.id";
    public static final String CONTAINER_NAME = "container.name";
    public static final String CONTAINER_IMAGE_NAME = "container.image.name";
    public static final String CONTAINER_LABELS = "container.labels";
    public static final String COMPOSE_PROJECT = "compose.project";
    public static final String COMPOSE_SERVICE = "compose.service";
    public static final String SWARM_SERVICE_NAME = "swarm.service.name";
    public static final String SWARM_TASK_ID = "swarm.task.id";
    public static final String SWARM_NODE_ID = "swarm.node.id";

    public static final String EVENT_TYPE = "event.type";
    public static final String EVENT_ACTION = "event.action";
    public static final String EVENT_ATTRIBUTES = "event.attributes";
    public static final String EVENT_EXIT_CODE = "event.exit_code";
    public static final String EVENT_ACTOR_ID = "event.actor_id";
    public static final String EVENT_SCOPE = "event.scope";

    public static final String CONFIG = "config";
    public static final String CONFIG_HASH = "config.hash";

    public static final String DRIFT_WORKLOAD = "drift.workload";
    public static final String DRIFT_CHANGES = "drift.changes";
    public static final String DRIFT_PREVIOUS_CONTAINER_ID = "drift.previous_container_id";

    public static final String LOG_STREAM = "log.stream";
    public static final String LOG_FILE_PATH = "log.file.path";

    /** Docker's label names behind the compose and swarm fields. */
    public static final String LABEL_COMPOSE_PROJECT = "com.docker.compose.project";
    public static final String LABEL_COMPOSE_SERVICE = "com.docker.compose.service";
    public static final String LABEL_SWARM_SERVICE_NAME = "com.docker.swarm.service.name";
    public static final String LABEL_SWARM_TASK_ID = "com.docker.swarm.task.id";
    public static final String LABEL_SWARM_NODE_ID = "com.docker.swarm.node.id";
    /** {@code dockwatch.enable=false} opts a container out of logs and stats. */
    public static final String LABEL_ENABLE = "dockwatch.enable";
    /** Per-container multiline start pattern, overriding {@code dockwatch.logs.multiline.start}. */
    public static final String LABEL_MULTILINE_START = "dockwatch.multiline.start";
    /** Log files inside a container to tail through the API: comma-separated paths or globs. */
    public static final String LABEL_LOG_FILES = "dockwatch.logs.files";

    private Fields() {
    }
}
