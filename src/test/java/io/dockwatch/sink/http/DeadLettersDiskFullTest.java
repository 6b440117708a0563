package io.dockwatch.sink.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dockwatch.record.Json;
import io.dockwatch.testing.SmallFileSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dead-letter file on a full disk (a real 1 MiB tmpfs): there whole once space returns, never torn or twice. */
class DeadLettersDiskFullTest {
    @TempDir
    Path tmp;

    @Test
    void aRefusedBatchIsKeptWholeOnceTheDiskHasRoomAndNothingIsLeftBehindBefore() throws Exception {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) { // about 200 KB: more than a full disk takes
            records.add(("{\"kind\":\"log\",\"n\":" + i + ",\"message\":\"" + "m".repeat(80) + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        try (SmallFileSystem disk = SmallFileSystem.mount(tmp.resolve("dead"), "1m")) {
            DeadLetters letters = new DeadLetters(disk.dir().resolve("letters"), "http-test");
            Files.createDirectories(disk.dir().resolve("letters"));
            disk.fill();
            assertThatThrownBy(() -> letters.write(records, "http://x", "ndjson", 400, "bad")).isInstanceOf(IOException.class);
            assertThat(files(disk.dir().resolve("letters"))).as("no torn or temporary file").isEmpty();

            disk.free();
            Path file = letters.write(records, "http://x", "ndjson", 400, "bad");
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(2001);
            assertThat(Json.MAPPER.readTree(lines.get(0)).path("dead_letter").path("records").asInt()).isEqualTo(2000);
            assertThat(Json.MAPPER.readTree(lines.get(2000)).path("n").asInt()).isEqualTo(1999);
            assertThat(files(disk.dir().resolve("letters"))).containsExactly(file.getFileName().toString());
        }
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
