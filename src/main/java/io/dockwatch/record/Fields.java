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
    /** daemon.log from journald: the unit read, instead of a file path. */
    public static final String LOG_JOURNALD_UNIT = "log.journald.unit";

    // stats (container): CPU percent is of one core, as `docker stats` shows it
    public static final String STATS = "stats";
    public static final String STATS_CPU_PERCENT = "stats.cpu.percent";
    public static final String STATS_CPU_USAGE_NS = "stats.cpu.usage_ns";
    public static final String STATS_CPU_PERIODS = "stats.cpu.periods";
    public static final String STATS_CPU_THROTTLED_PERIODS = "stats.cpu.throttled_periods";
    public static final String STATS_CPU_THROTTLED_TIME_NS = "stats.cpu.throttled_time_ns";
    public static final String STATS_MEMORY_USAGE_BYTES = "stats.memory.usage_bytes";
    public static final String STATS_MEMORY_LIMIT_BYTES = "stats.memory.limit_bytes";
    public static final String STATS_MEMORY_WORKING_SET_BYTES = "stats.memory.working_set_bytes";
    public static final String STATS_NETWORK_RX_BYTES = "stats.network.rx_bytes";
    public static final String STATS_NETWORK_TX_BYTES = "stats.network.tx_bytes";
    public static final String STATS_BLKIO_READ_BYTES = "stats.blkio.read_bytes";
    public static final String STATS_BLKIO_WRITE_BYTES = "stats.blkio.write_bytes";
    public static final String STATS_PIDS_CURRENT = "stats.pids.current";

    // host.stats: CPU percent is of the whole host (all cores together = 100)
    public static final String STATS_CPU_COUNT = "stats.cpu.count";
    public static final String STATS_LOAD_1 = "stats.load.1";
    public static final String STATS_LOAD_5 = "stats.load.5";
    public static final String STATS_LOAD_15 = "stats.load.15";
    public static final String STATS_MEMORY_TOTAL_BYTES = "stats.memory.total_bytes";
    public static final String STATS_MEMORY_AVAILABLE_BYTES = "stats.memory.available_bytes";
    /** List of {mount, device, type, total_bytes, used_bytes, available_bytes}. */
    public static final String STATS_FILESYSTEM = "stats.filesystem";
    /** List of {interface, rx_bytes, tx_bytes}. */
    public static final String STATS_NETWORK = "stats.network";

    // daemon.stats: a Docker daemon's own summary (/info, /system/df)
    public static final String DOCKER_CONTAINERS_TOTAL = "docker.containers.total";
    public static final String DOCKER_CONTAINERS_RUNNING = "docker.containers.running";
    public static final String DOCKER_CONTAINERS_PAUSED = "docker.containers.paused";
    public static final String DOCKER_CONTAINERS_STOPPED = "docker.containers.stopped";
    public static final String DOCKER_IMAGES_COUNT = "docker.images.count";
    public static final String DOCKER_DISK_LAYERS_BYTES = "docker.disk.layers_bytes";
    public static final String DOCKER_DISK_CONTAINERS_BYTES = "docker.disk.containers_bytes";
    public static final String DOCKER_DISK_VOLUMES_BYTES = "docker.disk.volumes_bytes";
    public static final String DOCKER_DISK_BUILD_CACHE_BYTES = "docker.disk.build_cache_bytes";

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
