package io.dockwatch.source.containerfiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tar streams as GNU tar writes them in the formats Docker's archive API uses (ustar, PAX long names). */
class TarEntriesTest {
    @TempDir
    Path dir;

    private InputStream tar(String format, String... names) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tar", "--format=" + format, "-C", dir.toString(), "-c"));
        cmd.addAll(List.of(names));
        Process p = new ProcessBuilder(cmd).start();
        return p.getInputStream();
    }

    @Test
    void entriesAreStreamedSkippedAndNamedEvenWhenTheirNamesAreLong() throws Exception {
        String longName = "app/" + "d".repeat(120) + "/" + "f".repeat(90) + ".log";
        Files.createDirectories(dir.resolve(longName).getParent());
        Files.writeString(dir.resolve(longName), "x".repeat(1000));
        Files.writeString(dir.resolve("app/a.log"), "0123456789\n".repeat(10_000));
        Files.writeString(dir.resolve("app/skipped.bin"), "s".repeat(777));

        // PAX headers are what Go's archive/tar (Docker) writes for long names; GNU tar's own 'L' entries too
        for (String format : List.of("pax", "gnu")) {
            TarEntries tar = new TarEntries(tar(format, "app/skipped.bin", longName, "app/a.log"));
            TarEntries.Entry skipped = tar.next();
            assertThat(skipped.name()).isEqualTo("app/skipped.bin");
            TarEntries.Entry lng = tar.next();
            assertThat(lng.name()).as(format).isEqualTo(longName);
            assertThat(lng.size()).isEqualTo(1000);
            TarEntries.Entry a = tar.next();
            assertThat(a.name()).isEqualTo("app/a.log");
            assertThat(a.isFile()).isTrue();
            tar.skip(5);
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            byte[] b = new byte[4096];
            for (int n = tar.read(b, 0, b.length); n >= 0; n = tar.read(b, 0, b.length)) {
                rest.write(b, 0, n);
            }
            assertThat(rest.toString(StandardCharsets.US_ASCII)).isEqualTo("56789\n" + "0123456789\n".repeat(9_999));
            assertThat(tar.next()).isNull();
        }
    }
}
