package io.dockwatch.source.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Service logs as a manager sends them (recorded from Engine 20.10: two tasks, stdout and stderr). */
class FleetServiceLogsTest {
    private static final String TASK_A = "f27ui97utwpqgnsb2c5ogmxnj";
    private static final String TASK_B = "i4tgl9s5pht3yskvcmzl8f491";

    private static List<ServiceLogParser.Entry> parse(byte[] bytes, int chunk) throws Exception {
        List<ServiceLogParser.Entry> out = new ArrayList<>();
        ServiceLogParser p = new ServiceLogParser(false, out::add);
        for (int i = 0; i < bytes.length; i += chunk) {
            int n = Math.min(chunk, bytes.length - i);
            byte[] buf = p.buffer();
            int off = p.writeOffset();
            System.arraycopy(bytes, i, buf, off, n);
            p.parse(n);
        }
        return out;
    }

    private static byte[] fixture() throws Exception {
        try (InputStream in = FleetServiceLogsTest.class.getResourceAsStream("/docker-api/engine-20.10/service-logs-mux.bin")) {
            return in.readAllBytes();
        }
    }

    @Test
    void entriesCarryTheirTaskNodeStreamAndMessageWhateverTheReadSizes() throws Exception {
        byte[] bytes = fixture();
        for (int chunk : new int[] {bytes.length, 7, 1}) {
            List<ServiceLogParser.Entry> entries = parse(bytes, chunk);
            assertThat(entries).extracting(e -> e.taskId() + " " + e.stream() + " " + e.message()).containsExactly(
                    TASK_A + " stdout one", TASK_A + " stdout three", TASK_A + " stderr two",
                    TASK_B + " stderr two", TASK_B + " stdout one", TASK_B + " stdout three");
            assertThat(entries).allSatisfy(e -> {
                assertThat(e.nodeId()).isNotEmpty();
                assertThat(e.timestamp()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
            });
        }
    }

    @Test
    void aLongLineSplitByDockerIsJoinedPerTask() throws Exception {
        String chunk = "x".repeat(ServiceLogParser.PARTIAL_CHUNK_BYTES);
        byte[] bytes = concat(frame(1, "2026-01-01T00:00:00.000000001Z com.docker.swarm.task.id=t1 " + chunk),
                frame(1, "2026-01-01T00:00:00.000000002Z com.docker.swarm.task.id=t2 short\n"),
                frame(1, "2026-01-01T00:00:00.000000003Z com.docker.swarm.task.id=t1 end\n"));
        List<ServiceLogParser.Entry> entries = parse(bytes, 4096);
        assertThat(entries).extracting(ServiceLogParser.Entry::taskId).containsExactly("t2", "t1");
        assertThat(entries.get(1).message()).isEqualTo(chunk + "end");
        assertThat(entries.get(1).timestamp()).isEqualTo("2026-01-01T00:00:00.000000001Z");
    }

    @Test
    void aLineOfExactlyTheCapIsOneEntryNotAnExtraEmptyOne() throws Exception {
        String chunk = "y".repeat(ServiceLogParser.PARTIAL_CHUNK_BYTES);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int pieces = io.dockwatch.docker.LogStreamFrames.MAX_LINE_BYTES / ServiceLogParser.PARTIAL_CHUNK_BYTES;
        for (int i = 0; i < pieces; i++) {
            out.writeBytes(frame(1, "2026-01-01T00:00:00.000000001Z com.docker.swarm.task.id=t1 " + chunk));
        }
        // Docker writes the newline that ends a line of exactly the cap as an entry of its own
        out.writeBytes(frame(1, "2026-01-01T00:00:00.000000002Z com.docker.swarm.task.id=t1 \n"));
        out.writeBytes(frame(1, "2026-01-01T00:00:00.000000003Z com.docker.swarm.task.id=t1 next\n"));
        List<ServiceLogParser.Entry> entries = parse(out.toByteArray(), 4096);
        assertThat(entries).extracting(e -> e.message().length()).containsExactly(
                io.dockwatch.docker.LogStreamFrames.MAX_LINE_BYTES, 4);
        assertThat(entries.get(1).message()).isEqualTo("next");
    }

    @Test
    void positionsArePerTaskAndResumeFromTheEarliest() {
        TaskPositions p = TaskPositions.EMPTY.after("a", "2026-01-01T00:00:02.000000000Z")
                .after("b", "2026-01-01T00:00:01.500000000Z")
                .after("a", "2026-01-01T00:00:02.000000000Z");
        assertThat(p.get("a")).isEqualTo(new TaskPositions.Position("2026-01-01T00:00:02.000000000Z", 2));
        assertThat(p.sinceParam()).isEqualTo("1767225601.500000000");
        TaskPositions roundTrip = TaskPositions.fromJson(p.toJson());
        assertThat(roundTrip).isEqualTo(p);

        // another collector got further on b, this one on a: a new leader resumes from the best of both
        TaskPositions other = TaskPositions.EMPTY.after("b", "2026-01-01T00:00:03.000000000Z")
                .after("a", "2026-01-01T00:00:01.000000000Z");
        TaskPositions merged = p.laterOf(other);
        assertThat(merged.get("a").count()).isEqualTo(2);
        assertThat(merged.get("b").ts()).isEqualTo("2026-01-01T00:00:03.000000000Z");
    }

    private static byte[] frame(int stream, String payload) {
        byte[] body = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] f = new byte[8 + body.length];
        f[0] = (byte) stream;
        f[4] = (byte) (body.length >>> 24);
        f[5] = (byte) (body.length >>> 16);
        f[6] = (byte) (body.length >>> 8);
        f[7] = (byte) body.length;
        System.arraycopy(body, 0, f, 8, body.length);
        return f;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
