package io.dockwatch.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The byte path that writes log messages must give what Jackson gives, for any input bytes. */
class NdjsonBufferTest {

    private static String viaBuffer(byte[] utf8) {
        return new String(new NdjsonBuffer(16).string(utf8).toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void everyAsciiCharacterIsEscapedAsJacksonEscapesIt() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 128; c++) {
            all.append(c).append('x');
        }
        String text = all.toString();
        String ours = viaBuffer(text.getBytes(StandardCharsets.UTF_8));

        assertThat(ours).isEqualTo(Json.MAPPER.writeValueAsString(text));
        assertThat(Json.MAPPER.readTree(ours).asText()).isEqualTo(text);
    }

    @Test
    void randomBytesBecomeValidJsonThatReadsBackAsJavasDecoding() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            int off = garbage.length == 0 ? 0 : random.nextInt(garbage.length);

            byte[] valid = Utf8.validCopy(garbage, off, garbage.length - off);
            String javaDecoding = new String(garbage, off, garbage.length - off, StandardCharsets.UTF_8);
            String json = viaBuffer(valid);

            assertThat(Json.MAPPER.readTree(json).asText()).isEqualTo(javaDecoding);
            assertThat(json).isEqualTo(Json.MAPPER.writeValueAsString(javaDecoding));
        }
    }

    @Test
    void everyEscapeIsFoundWhereverItSitsInALongLine() throws Exception {
        // the scan looks at eight bytes at a time: each position of a word, and the tail, must count
        for (char special : new char[] {'"', '\\', '\n', '\u0000', '\u001f'}) {
            for (int at = 0; at <= 37; at++) {
                StringBuilder line = new StringBuilder("x".repeat(37));
                line.insert(at, special);
                String text = line.toString();

                assertThat(viaBuffer(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(Json.MAPPER.writeValueAsString(text));
            }
        }
    }

    @Test
    void plainAsciiIsCopiedAsItIs() {
        byte[] line = "2026-11-27 GET /index.html 200".getBytes(StandardCharsets.US_ASCII);
        byte[] framed = new byte[line.length + 10];
        System.arraycopy(line, 0, framed, 4, line.length);

        assertThat(Utf8.validCopy(framed, 4, line.length)).isEqualTo(line);
        assertThat(new NdjsonBuffer(4).string("2026-11-27T03:00:00.000000001Z").toByteArray())
                .isEqualTo("\"2026-11-27T03:00:00.000000001Z\"".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aPrefixNeverCutsACharacterInTwo() {
        byte[] text = "ab\u00e9\u20ac".getBytes(StandardCharsets.UTF_8); // a b é(2 bytes) €(3 bytes)

        assertThat(Utf8.text(Utf8.prefix(text, 3))).isEqualTo("ab");
        assertThat(Utf8.text(Utf8.prefix(text, 4))).isEqualTo("ab\u00e9");
        assertThat(Utf8.text(Utf8.prefix(text, 6))).isEqualTo("ab\u00e9");
        assertThat(Utf8.prefix(text, 7)).isSameAs(text);
    }
}
