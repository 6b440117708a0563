package io.dockwatch.source.containerfiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.record.Json;
import io.dockwatch.docker.OwnExecs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs a short command inside a container through the exec API and streams its stdout to an
 * {@link Output} in pieces of at most {@value #CHUNK} bytes: the only way to read a file inside a
 * container that works on a remote daemon too, and never the whole output in memory. Every exec is
 * registered with {@link OwnExecs} by the ID its create answered, so the events source leaves its
 * events out and records everyone else's.
 */
final class Exec {
    /** Piece size handed to an {@link Output}. */
    static final int CHUNK = 64 * 1024;
    /** stderr is only for the error message: its first bytes are enough. */
    private static final int MAX_STDERR = 2048;

    /**
     * The shell's {@code $0} in the collector's commands ({@code sh -c SCRIPT NAME}), so that people
     * reading {@code ps} or events can tell them; not how the collector knows its own execs (by ID).
     */
    static final String SHELL_NAME = "dockwatch-reader";

    /** The command could not run in the container (no such executable...). */
    static final class ExecFailed extends IOException {
        ExecFailed(String message) {
            super(message);
        }
    }

    /** The container is not running (any more): its files are read from the archive once it stopped. */
    static final class NotRunning extends IOException {
        NotRunning(String message) {
            super(message);
        }
    }

    /** Docker answers 409 to an exec in a container that is not running. */
    private static IOException failure(DockerApiException e) {
        return e.status() == 409 ? new NotRunning(e.getMessage()) : new ExecFailed(e.getMessage());
    }

    /** Receives stdout as it arrives. */
    interface Output {
        void write(byte[] b, int off, int len) throws IOException;
    }

    private Exec() {
    }

    /** Runs {@code sh -c script} and streams its stdout to {@code stdout}; fails on a non-zero exit. */
    static void shell(DockerDaemon daemon, OwnExecs own, String containerId, String script, Output stdout) throws IOException {
        ObjectNode create = Json.NODES.objectNode();
        create.put("AttachStdout", true);
        create.put("AttachStderr", true);
        create.put("Tty", false);
        create.putArray("Cmd").add("sh").add("-c").add(script).add(SHELL_NAME);
        String execId;
        try (OwnExecs.Creation creation = own.creating(daemon.key(), containerId);
                Response r = daemon.post("/containers/" + containerId + "/exec", create)) {
            execId = Json.MAPPER.readTree(r.getBody()).path("Id").asText();
            creation.created(execId);
        } catch (DockerApiException e) {
            throw failure(e);
        }
        ObjectNode start = Json.NODES.objectNode();
        start.put("Detach", false);
        start.put("Tty", false);
        byte[] stderr = new byte[MAX_STDERR];
        int stderrLength;
        try (Response r = daemon.post("/exec/" + execId + "/start", start)) {
            stderrLength = demux(r.getBody(), stdout, stderr);
        } catch (DockerApiException e) {
            throw failure(e);
        }
        JsonNode result = daemon.get("/exec/" + execId + "/json");
        int exit = result.path("ExitCode").asInt(-1);
        if (exit != 0) {
            // 126/127: the shell or the tool is missing in the image
            String err = new String(stderr, 0, stderrLength, StandardCharsets.UTF_8).trim();
            throw new ExecFailed("exit " + exit + (err.isEmpty() ? "" : ": " + err));
        }
    }

    /**
     * Docker's stdcopy framing: 8-byte header (stream, 3 zero bytes, big-endian size), then the
     * payload, which is passed on in pieces (a frame may be as large as the daemon likes).
     * Returns how many bytes of stderr were kept.
     */
    static int demux(InputStream in, Output stdout, byte[] stderr) throws IOException {
        byte[] header = new byte[8];
        byte[] piece = new byte[CHUNK];
        int kept = 0;
        while (true) {
            int n = in.readNBytes(header, 0, 8);
            if (n < 8) {
                return kept;
            }
            long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            boolean isStderr = header[0] == 2;
            while (size > 0) {
                int got = in.read(piece, 0, (int) Math.min(piece.length, size));
                if (got < 0) {
                    return kept;
                }
                size -= got;
                if (!isStderr) {
                    stdout.write(piece, 0, got);
                } else if (kept < stderr.length) {
                    int take = Math.min(got, stderr.length - kept);
                    System.arraycopy(piece, 0, stderr, kept, take);
                    kept += take;
                }
            }
        }
    }
}
