package io.dockwatch.sink.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Json;
import io.dockwatch.record.Record;
import io.dockwatch.spool.StateFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records a receiver refused for good (a 4xx that retrying cannot fix), kept so nothing vanishes:
 * one file per refused request, {@code NAME-TIME-N.ndjson} under the dead-letter folder. Its first
 * line is {@code {"dead_letter":{time, url, format, status, response, records}}}; the records
 * follow, one per line as the spool held them, ready to be sent again by hand. A file is there
 * whole or not at all (a {@code .tmp} file renamed once written and synced); a leftover
 * {@code .tmp} is a write a crash or a full disk interrupted, whose batch is refused again.
 */
final class DeadLetters {
    static final String HEADER_FIELD = "dead_letter";
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Receivers may answer with whole pages; the start says what went wrong. */
    static final int MAX_RESPONSE_CHARS = 16 * 1024;

    private final Path dir;
    private final String name;
    private final AtomicLong seq = new AtomicLong();

    DeadLetters(Path dir, String name) {
        this.dir = dir;
        this.name = name;
    }

    /** Writes and syncs the file before returning, so the records count as delivered only once kept. */
    Path write(List<byte[]> records, String url, String format, int status, String response) throws IOException {
        Files.createDirectories(dir);
        Instant now = Instant.now();
        Path file = dir.resolve(name + "-" + FILE_TIME.format(now) + "-" + seq.incrementAndGet() + ".ndjson");
        ObjectNode header = Json.NODES.objectNode();
        ObjectNode d = header.putObject(HEADER_FIELD);
        d.put("time", Record.rfc3339(now));
        d.put("url", url);
        d.put("format", format);
        d.put("status", status);
        d.put("response", response.length() > MAX_RESPONSE_CHARS ? response.substring(0, MAX_RESPONSE_CHARS) : response);
        d.put("records", records.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Json.MAPPER.writeValueAsBytes(header));
        out.write('\n');
        for (byte[] r : records) {
            out.writeBytes(r);
            out.write('\n');
        }
        // whole or not there: written under a temporary name and renamed, so a full disk leaves no
        // torn file, and the retry of a refused batch writes the one file it needs, not a second
        StateFiles.writeAtomically(file, out.toByteArray());
        return file;
    }
}
