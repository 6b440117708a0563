package io.dockwatch.sink.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import io.dockwatch.spool.RecordBatch;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes record batches as NDJSON to {@code PREFIX-NNNNNN.ndjson}, starting the next number when
 * a file reaches its size. Each batch is one {@code write()}; the file's number and size after it
 * are saved with the spool cursor, and on the first batch after a start anything past that point
 * (a batch written just before a crash, or half of one) is cut off, because the spool delivers it
 * again. So the files hold every record once and no partial line.
 */
final class NdjsonFileProducer extends DefaultProducer {
    private static final Logger LOG = LoggerFactory.getLogger(NdjsonFileProducer.class);

    private final Path dir;
    private final String prefix;
    private final long maxBytes;
    private final Pattern namePattern;
    private FileChannel out;
    private long seq;
    private long size;
    private boolean reconciled;

    NdjsonFileProducer(NdjsonFileEndpoint endpoint, Path dir, String prefix, long maxBytes) {
        super(endpoint);
        this.dir = dir;
        this.prefix = prefix;
        this.maxBytes = maxBytes;
        this.namePattern = Pattern.compile(Pattern.quote(prefix) + "-(\\d{6,})\\.ndjson");
    }

    @Override
    public synchronized void process(Exchange exchange) throws Exception {
        RecordBatch batch = exchange.getMessage().getMandatoryBody(RecordBatch.class);
        if (!reconciled) {
            reconcile(exchange.getMessage().getHeader(RecordBatch.SINK_STATE_HEADER, JsonNode.class));
        }
        if (size >= maxBytes) {
            open(seq + 1);
        }
        batch.writeNdjson(out);
        size += batch.ndjsonBytes();
        ObjectNode state = Json.NODES.objectNode();
        state.put("file", fileName(seq));
        state.put("seq", seq);
        state.put("size", size);
        exchange.setProperty(RecordBatch.NEW_SINK_STATE, state);
    }

    private void reconcile(JsonNode state) throws IOException {
        Files.createDirectories(dir);
        List<Long> existing = existingSeqs();
        if (state == null || !state.has("seq")) {
            // no committed state: never truncate what is there, continue in a new file
            open(existing.isEmpty() ? 1 : existing.get(existing.size() - 1) + 1);
        } else {
            long committedSeq = state.get("seq").asLong();
            long committedSize = state.get("size").asLong();
            for (long s : existing) {
                if (s > committedSeq) {
                    LOG.info("Removing {}: written after the last commit, its records come again from the spool",
                            fileName(s));
                    Files.delete(dir.resolve(fileName(s)));
                }
            }
            open(committedSeq);
            if (size > committedSize) {
                LOG.info("Cutting {} back to {} bytes: the rest comes again from the spool", fileName(seq), committedSize);
                out.truncate(committedSize);
                size = committedSize;
            }
        }
        reconciled = true;
    }

    private List<Long> existingSeqs() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> namePattern.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> Long.parseLong(m.group(1))).sorted().toList();
        }
    }

    private String fileName(long n) {
        return String.format("%s-%06d.ndjson", prefix, n);
    }

    private void open(long n) throws IOException {
        if (out != null) {
            out.close();
        }
        seq = n;
        out = FileChannel.open(dir.resolve(fileName(n)), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        size = out.size();
        out.position(size);
    }

    @Override
    protected void doStop() throws Exception {
        if (out != null) {
            out.force(false);
            out.close();
            out = null;
        }
        reconciled = false;
        super.doStop();
    }
}
