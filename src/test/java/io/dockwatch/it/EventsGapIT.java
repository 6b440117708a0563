package io.dockwatch.it;

import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.record.Json;
import io.dockwatch.record.Record;
import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import io.dockwatch.testing.ExtraDockerd;
import io.dockwatch.testing.Http;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dockerd drops events for a subscriber whose channel (1024 events) stays full for 100 ms: the
 * collector's stream, frozen with SIGSTOP while a flood fills that channel and containers then
 * live and die, misses their events, and the collector must get them back from the daemon's ring
 * of 256, each exactly once. On a daemon of the test's own (the flood would reach every other
 * test's collector on the main one), on both engines: the machine's 20.10 and sid's 28.x.
 */
class EventsGapIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Containers whose whole lifecycle happens while the collector is frozen (about 7 events each). */
    private static final int CONTAINERS = 5;
    /** A publish that took this long waited for the frozen subscriber: dockerd is dropping for it. */
    private static final long DROPPING_MS = 90;

    @TempDir
    Path work;

    @Test
    void eventsDroppedForTheFrozenCollectorArriveOnceFromTheRing_engine20() throws Exception {
        try (ExtraDockerd daemon = ExtraDockerd.start()) {
            droppedEventsComeBackOnce(daemon);
        }
    }

    @Test
    void eventsDroppedForTheFrozenCollectorArriveOnceFromTheRing_engine28() throws Exception {
        try (ExtraDockerd daemon = ExtraDockerd.startSid()) {
            droppedEventsComeBackOnce(daemon);
        }
    }

    private void droppedEventsComeBackOnce(ExtraDockerd daemon) throws Exception {
        daemon.withTestImage();
        String label = "dwgap=" + Docker.uniqueName("run");
        Path socket = Path.of(daemon.unixUri().getPath());
        try (Collector collector = new Collector(work).with("dockwatch.docker.hosts", daemon.unixUri().toString()).start()) {
            // the collector's stream is up: a container's event reaches its records
            String warm = Docker.uniqueName("gapwarm");
            daemon.docker("run", "--name", warm, TEST_IMAGE, "true");
            collector.awaitRecords(kind("event").and(r -> r.path("container").path("name").asText().equals(warm)
                    && r.path("event").path("action").asText().equals("die")), 1, WAIT);

            // the reference: a reader of our own that keeps up, started before anything happens
            Path reference = work.resolve("reference.ndjson");
            Process events = new ProcessBuilder("docker", "-H", daemon.unixUri().toString(), "events", "--filter",
                    "label=" + label, "--format", "{{json .}}").redirectOutput(reference.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<String> names = new ArrayList<>();
            try {
                Thread.sleep(500); // its subscription is in place
                signal(collector.pid(), "STOP");
                try {
                    int flood = floodUntilDropping(socket);
                    System.out.println("EventsGapIT: " + flood + " volume events before dockerd waited on the frozen stream");
                    for (int i = 0; i < CONTAINERS; i++) {
                        String name = Docker.uniqueName("gap");
                        names.add(name);
                        daemon.docker("run", "-d", "--name", name, "-l", label, TEST_IMAGE, "sleep", "300");
                        daemon.docker("kill", name);
                        daemon.docker("rm", name);
                    }
                } finally {
                    signal(collector.pid(), "CONT");
                }
                String last = names.get(names.size() - 1);
                await("the reference saw the last destroy").atMost(WAIT).until(() -> Files.readString(reference)
                        .contains("\"destroy\"") && Files.readString(reference).contains(last));
            } finally {
                events.destroy();
                events.waitFor();
            }

            // every event of those containers, as the keeping-up reader saw them: (id, action, time)
            Map<String, Integer> expected = new TreeMap<>();
            for (String line : Files.readAllLines(reference)) {
                if (!line.isBlank()) {
                    JsonNode ev = Json.MAPPER.readTree(line);
                    expected.merge(key(ev.path("Actor").path("ID").asText(), ev.path("Action").asText(),
                            Record.fromNanos(ev.path("timeNano").asLong()).toString()), 1, Integer::sum);
                }
            }
            assertThat(expected.size()).as("the reference saw the containers' lifecycles").isGreaterThanOrEqualTo(CONTAINERS * 4);

            await("every event of those containers recorded").atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(recorded(collector, names).keySet()).containsAll(expected.keySet()));
            Thread.sleep(3000); // a copy coming late (the live stream's, after the ring's) would show by now
            assertThat(recorded(collector, names)).as("each exactly once").isEqualTo(expected);

            String metrics = Http.get(collector.baseUrl() + "/observe/metrics").body();
            Matcher m = Pattern.compile("dockwatch_events_recovered_total\\{daemon=\"[^\"]+\"} (\\d+)").matcher(metrics);
            assertThat(m.find()).as("recovered counter in\n" + metrics).isTrue();
            assertThat(Long.parseLong(m.group(1)))
                    .as("dockerd really dropped events for the frozen stream, and the ring gave them back")
                    .isGreaterThan(0);
            assertThat(collector.logText()).contains("were re-read from the daemon's ring");
            assertThat(collector.stop()).isZero();
        }
    }

    private static String key(String id, String action, String timestamp) {
        return id + " " + action + " " + timestamp;
    }

    /** The collector's event records of the named containers: key → how many times. */
    private static Map<String, Integer> recorded(Collector collector, List<String> names) {
        Map<String, Integer> got = new TreeMap<>();
        for (JsonNode r : collector.records(kind("event"))) {
            if (!"container".equals(r.path("event").path("type").asText())
                    || !names.contains(r.path("container").path("name").asText())) {
                continue;
            }
            String action = r.path("event").path("action").asText();
            if (r.path("event").has("action_detail")) {
                action += ": " + r.path("event").path("action_detail").asText();
            }
            got.merge(key(r.path("event").path("actor_id").asText(), action, r.path("@timestamp").asText()), 1, Integer::sum);
        }
        return got;
    }

    private static void signal(long pid, String sig) throws Exception {
        int rc = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
        assertThat(rc).as("kill -" + sig + " " + pid).isZero();
    }

    /**
     * Creates volumes (one event each, a few milliseconds apiece) until one create takes
     * {@link #DROPPING_MS}: dockerd then waited its 100 ms on the frozen subscriber's full channel
     * and dropped the event for it. Returns how many it took.
     */
    private static int floodUntilDropping(Path socket) {
        String prefix = Docker.uniqueName("gapvol");
        for (int i = 0; i < 20_000; i++) {
            long t0 = System.nanoTime();
            String answer = request(socket, "POST", "/volumes/create", "{\"Name\":\"" + prefix + "-" + i + "\"}");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(answer).startsWith("HTTP/1.0 201");
            if (ms >= DROPPING_MS) {
                return i + 1;
            }
        }
        throw new AssertionError("20,000 events and dockerd never waited on the frozen stream");
    }

    /** One request on a connection of its own (HTTP/1.0: the answer ends with the connection). */
    private static String request(Path socket, String method, String path, String json) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.0\r\nHost: docker\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            ByteBuffer out = ByteBuffer.allocate(head.length() + body.length);
            out.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(4096);
            while (ch.read(in) >= 0) {
                answer.write(in.array(), 0, in.position());
                in.clear();
            }
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
