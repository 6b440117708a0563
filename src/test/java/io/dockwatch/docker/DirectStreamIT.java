package io.dockwatch.docker;

import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.transport.DockerHttpClient.Response;
import io.dockwatch.testing.RealDaemonTest;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The log streams' own connection, against the real daemon and checked against the shared transport. */
class DirectStreamIT extends RealDaemonTest {

    private static DockerDaemon localDaemon() {
        return new DockerDaemon(DockerEndpoint.of(URI.create("unix:///var/run/docker.sock"), Map.of()));
    }

    private static byte[] readAll(DirectStream s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = s.read(buf, 0, buf.length)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void readsExactlyTheBytesTheTransportReads() throws Exception {
        String c = name("direct");
        // stdout and stderr interleaved, a long line, and bytes that are not UTF-8
        docker("run", "--name", c, TEST_IMAGE, "sh", "-c",
                "for i in $(seq 1 2000); do echo out-$i; echo err-$i >&2; done; head -c 40000 /dev/zero | tr '\\0' x; echo; printf '\\377\\376\\n'");
        String id = docker("inspect", "--format", "{{.Id}}", c);
        String path = "/containers/" + id + "/logs?stdout=1&stderr=1&timestamps=1";
        try (DockerDaemon daemon = localDaemon()) {
            byte[] direct;
            try (DirectStream s = daemon.directStream(path)) {
                direct = readAll(s);
            }
            byte[] viaTransport;
            try (Response r = daemon.stream(path)) {
                viaTransport = r.getBody().readAllBytes();
            }

            assertThat(direct).hasSizeGreaterThan(2 * 2000 * 40 + 40000).isEqualTo(viaTransport);
        }
    }

    @Test
    void aMissingContainerIsNotFound() throws Exception {
        try (DockerDaemon daemon = localDaemon()) {
            assertThatThrownBy(() -> daemon.directStream("/containers/no-such-container-dw/logs?stdout=1"))
                    .isInstanceOfSatisfying(DockerApiException.class, e -> {
                        assertThat(e.isNotFound()).isTrue();
                        assertThat(e.getMessage()).contains("No such container");
                    });
        }
    }

    @Test
    void closingEndsARead() throws Exception {
        String c = name("idle");
        docker("run", "-d", "--name", c, TEST_IMAGE, "sh", "-c", "echo ready; sleep 600");
        String id = docker("inspect", "--format", "{{.Id}}", c);
        try (DockerDaemon daemon = localDaemon();
             DirectStream s = daemon.directStream("/containers/" + id + "/logs?stdout=1&follow=1")) {
            CompletableFuture<Object> reading = CompletableFuture.supplyAsync(() -> {
                try {
                    return readAll(s);
                } catch (Exception e) {
                    return e;
                }
            });
            Thread.sleep(300);
            assertThat(reading).isNotDone(); // following a quiet container: the read blocks

            s.close();

            assertThat(reading.get(5, TimeUnit.SECONDS)).isNotNull();
        }
    }
}
