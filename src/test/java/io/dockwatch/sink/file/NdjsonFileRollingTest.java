package io.dockwatch.sink.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dockwatch.DockwatchServices;
import io.dockwatch.settings.Settings;
import io.dockwatch.spool.RecordBatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file sink's rolling by size and age, gzip of closed files and retention, on real files, driven
 * the way the spool drives it: each batch carries the state committed after the previous one.
 */
class NdjsonFileRollingTest {
    @TempDir
    Path tmp;
    private CamelContext camel;
    private ProducerTemplate template;
    private JsonNode committed;
    private int nextRecord;

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }

    @Test
    void rollsBySizeAndCompressesOnlyClosedCommittedFiles() throws Exception {
        String uri = start("maxBytes=2kb&gzip=true");
        for (int i = 0; i < 30; i++) {
            deliver(uri, 5);
            String active = committed.get("file").asText();
            assertThat(out().resolve(active)).as("the file being written stays plain").exists();
            assertThat(out().resolve(active + ".gz")).doesNotExist();
        }
        List<String> names = fileNames();
        assertThat(names).allMatch(n -> n.matches("dockwatch-\\d{6}\\.ndjson(\\.gz)?"));
        assertThat(names.stream().filter(n -> n.endsWith(".ndjson.gz")).count()).as("closed files compressed")
                .isGreaterThanOrEqualTo(names.size() - 2).isGreaterThan(3);
        assertThat(readAll()).as("every record once, in order").isEqualTo(expected(0, nextRecord));
    }

    @Test
    void aBatchWrittenButNotCommittedComesOnceAfterRestartAcrossARollAndWithinAFile() throws Exception {
        String uri = start("maxBytes=2kb&gzip=true");
        while (committed == null || committed.get("size").asLong() < 2048 || committed.get("seq").asLong() < 3) {
            deliver(uri, 5);
        }
        // the next batch begins a new file; the process dies before the spool saves its state
        crashAfterOneBatch(uri, true);
        uri = start("maxBytes=2kb&gzip=true");
        deliver(uri, 5);
        deliver(uri, 5);
        // and once more, this time inside one file: the restart cuts it back
        crashAfterOneBatch(uri, false);
        uri = start("maxBytes=2kb&gzip=true");
        for (int i = 0; i < 8; i++) {
            deliver(uri, 5);
        }
        assertThat(readAll()).as("each record once, none half").isEqualTo(expected(0, nextRecord));
        assertThat(fileNames().stream().filter(n -> n.endsWith(".gz")).count()).isGreaterThanOrEqualTo(3);
    }

    private void crashAfterOneBatch(String uri, boolean expectRoll) throws Exception {
        JsonNode beforeCrash = committed;
        int firstLost = nextRecord;
        deliver(uri, 5);
        assertThat(committed.get("seq").asLong()).as("the lost batch began a new file: " + expectRoll)
                .isEqualTo(beforeCrash.get("seq").asLong() + (expectRoll ? 1 : 0));
        camel.close();
        committed = beforeCrash; // the spool's cursor never saw the lost batch...
        nextRecord = firstLost; // ...so it sends the same records again
    }

    @Test
    void cursorsSavedOnlyAtRollsLoseNothingAndRepeatNothingAfterACrash() throws Exception {
        String uri = start("maxBytes=2kb&gzip=true");
        JsonNode saved = null;
        int savedNext = 0;
        boolean anyWaited = false;
        for (int crash = 0; crash < 3; crash++) {
            // as the spool commits with a long sync interval: the cursor is saved only when the
            // sink says a commit may not wait (a batch that began a file)
            for (int i = 0; i < 12; i++) {
                long seqBefore = committed == null ? -1 : committed.get("seq").asLong();
                Exchange done = deliver(uri, 5);
                boolean mayWait = Boolean.TRUE.equals(done.getProperty(RecordBatch.COMMIT_MAY_WAIT, Boolean.class));
                assertThat(mayWait).as("a batch that began a file is saved at once")
                        .isEqualTo(committed.get("seq").asLong() == seqBefore);
                anyWaited |= mayWait;
                if (!mayWait) {
                    saved = committed;
                    savedNext = nextRecord;
                }
            }
            camel.close(); // the process dies: the spool resumes at the saved cursor
            committed = saved;
            nextRecord = savedNext;
            uri = start("maxBytes=2kb&gzip=true");
        }
        for (int i = 0; i < 4; i++) {
            deliver(uri, 5);
        }
        assertThat(anyWaited).isTrue();
        assertThat(readAll()).as("each record once, none half").isEqualTo(expected(0, nextRecord));
    }

    @Test
    void aBatchTheCursorNeverTookIsCutBackBeforeItComesAgainWithoutARestart() throws Exception {
        String uri = start("maxBytes=2kb");
        deliver(uri, 5);
        // written, but the spool's cursor did not move (the route failed after the sink, or the
        // cursor could not be saved): the same records come again to the same producer
        JsonNode beforeRetry = committed;
        int firstRetried = nextRecord;
        deliver(uri, 5);
        committed = beforeRetry;
        nextRecord = firstRetried;
        // and half a line left by a write that failed part way (a full disk)
        Path active = out().resolve(committed.get("file").asText());
        Files.write(active, "{\"kind\":\"log\",\"n\":".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        deliver(uri, 5);
        deliver(uri, 5);
        assertThat(readAll()).as("each record once, none half").isEqualTo(expected(0, nextRecord));
    }

    @Test
    void rollsByAge() throws Exception {
        String uri = start("maxAge=300ms");
        deliver(uri, 2);
        deliver(uri, 2);
        assertThat(fileNames()).hasSize(1);
        Thread.sleep(400);
        deliver(uri, 2);
        assertThat(fileNames()).containsExactly("dockwatch-000001.ndjson", "dockwatch-000002.ndjson");
        assertThat(readAll()).isEqualTo(expected(0, 6));
    }

    @Test
    void keepsTheNewestClosedFilesByCount() throws Exception {
        String uri = start("maxBytes=1kb&gzip=true&keepFiles=2");
        for (int i = 0; i < 40; i++) {
            deliver(uri, 4);
        }
        List<String> names = fileNames();
        long closed = names.stream().filter(n -> n.endsWith(".gz")).count();
        assertThat(closed).as("closed files kept").isEqualTo(2);
        assertThat(names).as("2 closed + at most the committed and the active file").hasSizeLessThanOrEqualTo(4);
        List<String> left = readAll();
        assertThat(left).as("what is left is the newest records, contiguous").isEqualTo(
                expected(nextRecord - left.size(), nextRecord));
    }

    @Test
    void deletesClosedFilesOlderThanTheRetentionAge() throws Exception {
        String uri = start("maxBytes=1kb&keepAge=1h");
        for (int i = 0; i < 12; i++) {
            deliver(uri, 4);
        }
        List<String> before = fileNames();
        assertThat(before).hasSizeGreaterThan(3);
        FileTime twoHoursAgo = FileTime.from(Instant.now().minusSeconds(7200));
        Files.setLastModifiedTime(out().resolve(before.get(0)), twoHoursAgo);
        Files.setLastModifiedTime(out().resolve(before.get(1)), twoHoursAgo);
        for (int i = 0; i < 8; i++) {
            deliver(uri, 4); // a roll or two later the old files are looked at again
        }
        assertThat(fileNames()).doesNotContain(before.get(0), before.get(1)).contains(before.get(2));
    }

    // ---- the spool's side ---------------------------------------------------------------------

    private String start(String options) {
        Properties overrides = new Properties();
        overrides.setProperty(Settings.STATE_DIR, tmp.resolve("state").toString());
        overrides.setProperty(Settings.OUTPUT_DIR, out().toString());
        Properties defaults = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            defaults.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("dockwatchServices", new DockwatchServices(Settings.from(defaults, Map.of(), overrides)));
        camel.start();
        template = camel.createProducerTemplate();
        return "ndjson-file:" + out() + "?" + options;
    }

    /** One batch of {@code n} records, as the spool consumer sends it; returns once it is "committed". */
    private Exchange deliver(String uri, int n) {
        List<byte[]> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(record(nextRecord++).getBytes(StandardCharsets.UTF_8));
        }
        Exchange result = template.send(uri, e -> {
            e.getMessage().setBody(new RecordBatch(lines));
            e.getMessage().setHeader(RecordBatch.SINK_STATE_HEADER, committed);
        });
        if (result.getException() != null) {
            throw new AssertionError(result.getException());
        }
        committed = result.getProperty(RecordBatch.NEW_SINK_STATE, JsonNode.class);
        return result;
    }

    private static String record(int n) {
        return "{\"kind\":\"log\",\"n\":" + n + ",\"message\":\"" + "m".repeat(70) + "\"}";
    }

    private static List<String> expected(int from, int to) {
        List<String> l = new ArrayList<>();
        for (int i = from; i < to; i++) {
            l.add(record(i));
        }
        return l;
    }

    private Path out() {
        return tmp.resolve("out");
    }

    private List<String> fileNames() throws IOException {
        try (Stream<Path> s = Files.list(out())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every line of every file, compressed or not, in file order. */
    private List<String> readAll() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String name : fileNames()) {
            Path f = out().resolve(name);
            byte[] content;
            if (name.endsWith(".gz")) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                    content = in.readAllBytes();
                }
            } else {
                content = Files.readAllBytes(f);
            }
            String text = new String(content, StandardCharsets.UTF_8);
            assertThat(text).as("%s ends with a whole line", name).matches("(?s)(.*\\n)?");
            text.lines().forEach(lines::add);
        }
        return lines;
    }
}
