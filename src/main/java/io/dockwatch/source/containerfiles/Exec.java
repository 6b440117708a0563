package io.dockwatch.source.containerfiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import io.dockwatch.docker.DockerApiException;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.record.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Runs a short command inside a container through the exec API and returns its stdout: the only
 * way to read a file inside a container that works on a remote daemon too.
 */
public final class Exec {
    /** The command could not run in the container (no such executable, container stopped...). */
    static final class ExecFailed extends IOException {
        ExecFailed(String message) {
            super(message);
        }
    }

    /**
     * The collector's own exec calls end in this word ({@code sh -c SCRIPT NAME} makes it {@code $0}),
     * so the events source can leave their exec_create/start/die events out instead of recording
     * a few every second per container.
     */
    public static final String OWN_COMMAND_MARK = "dockwatch-reader";

    private Exec() {
    }

    static byte[] run(DockerDaemon daemon, String containerId, String... cmd) throws IOException {
        ObjectNode create = Json.NODES.objectNode();
        create.put("AttachStdout", true);
        create.put("AttachStderr", true);
        create.put("Tty", false);
        var arr = create.putArray("Cmd");
        for (String c : cmd) {
            arr.add(c);
        }
        String execId;
        try (Response r = daemon.post("/containers/" + containerId + "/exec", create)) {
            execId = Json.MAPPER.readTree(r.getBody()).path("Id").asText();
        } catch (DockerApiException e) {
            throw new ExecFailed(e.getMessage());
        }
        ObjectNode start = Json.NODES.objectNode();
        start.put("Detach", false);
        start.put("Tty", false);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try (Response r = daemon.post("/exec/" + execId + "/start", start)) {
            demux(r.getBody(), stdout, stderr);
        } catch (DockerApiException e) {
            throw new ExecFailed(e.getMessage());
        }
        JsonNode result = daemon.get("/exec/" + execId + "/json");
        int exit = result.path("ExitCode").asInt(-1);
        if (exit != 0) {
            // 126/127: the shell or the tool is missing in the image
            throw new ExecFailed("exit " + exit + (stderr.size() > 0 ? ": " + stderr.toString().trim() : ""));
        }
        return stdout.toByteArray();
    }

    /** Docker's stdcopy framing: 8-byte header (stream, 3 zero bytes, big-endian size), then payload. */
    private static void demux(InputStream in, ByteArrayOutputStream stdout, ByteArrayOutputStream stderr) throws IOException {
        byte[] header = new byte[8];
        while (true) {
            int n = in.readNBytes(header, 0, 8);
            if (n < 8) {
                return;
            }
            int size = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            byte[] payload = in.readNBytes(size);
            (header[0] == 2 ? stderr : stdout).write(payload);
        }
    }
}
