package io.dockwatch.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The spools under one folder, by name, and the checkpoint store they keep the sources'
 * positions in. Bound in the Camel registry as {@code spools}; {@code spool:NAME} opens one.
 */
public final class Spools implements AutoCloseable {
    private final Path root;
    private final CheckpointStore checkpoints;
    private final Spool.Bound bound;
    private final Duration syncInterval;
    private final Map<String, Spool> spools = new ConcurrentHashMap<>();

    /**
     * Opens the spools that exist under {@code root}, so every source's checkpoint is known before
     * any source starts.
     */
    public Spools(Path root, CheckpointStore checkpoints, Spool.Bound bound, Duration syncInterval) {
        this.root = root;
        this.checkpoints = checkpoints;
        this.bound = bound;
        this.syncInterval = syncInterval;
        if (Files.isDirectory(root)) {
            try (Stream<Path> dirs = Files.list(root)) {
                dirs.filter(Files::isDirectory).forEach(d -> spool(d.getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the spool folder " + root, e);
            }
        }
    }

    /** The spool of this name, opened (and its checkpoints recovered) on first use. */
    public Spool spool(String name) {
        return spools.computeIfAbsent(name, n -> new Spool(root.resolve(n), checkpoints, bound, syncInterval));
    }

    /** All spools opened so far (health: a spool that cannot write). */
    public Collection<Spool> all() {
        return List.copyOf(spools.values());
    }

    /** The sources' positions, made durable with their records. */
    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    /** How often at most the spools force their writes to disk. */
    public Duration syncInterval() {
        return syncInterval;
    }

    @Override
    public void close() {
        spools.values().forEach(Spool::close);
    }
}
