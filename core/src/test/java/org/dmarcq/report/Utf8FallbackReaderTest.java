package org.dmarcq.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8FallbackReaderTest {
    @Test
    void validUtf8IsDecodedAsIs() throws IOException {
        Utf8FallbackReader reader = new Utf8FallbackReader(new ByteArrayInputStream("café ✓ 𝄞".getBytes(StandardCharsets.UTF_8)));
        assertThat(readAll(reader)).isEqualTo("café ✓ 𝄞");
        assertThat(reader.malformedBytes()).isZero();
    }

    @Test
    void strayWindows1252BytesAreReadAsWindows1252AndCounted() throws IOException {
        byte[] bytes = {'a', (byte) 0x93, 'q', (byte) 0x94, ' ', 'c', 'a', 'f', (byte) 0xe9};
        Utf8FallbackReader reader = new Utf8FallbackReader(new ByteArrayInputStream(bytes));
        assertThat(readAll(reader)).isEqualTo("a\u201cq\u201d caf\u00e9");
        assertThat(reader.malformedBytes()).isEqualTo(3);
    }

    @Test
    void aSequenceCutAcrossBufferRefillsIsNotMalformed() throws IOException {
        String text = "x".repeat(16 * 1024 - 1) + "é" + "y".repeat(10);
        Utf8FallbackReader reader = new Utf8FallbackReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(readAll(reader)).isEqualTo(text);
        assertThat(reader.malformedBytes()).isZero();
    }

    @Test
    void aSequenceCutByTheEndOfInputIsReadAsWindows1252() throws IOException {
        byte[] bytes = {'o', 'k', (byte) 0xe2, (byte) 0x82};
        Utf8FallbackReader reader = new Utf8FallbackReader(new ByteArrayInputStream(bytes));
        assertThat(readAll(reader)).isEqualTo("ok\u00e2\u201a");
        assertThat(reader.malformedBytes()).isEqualTo(2);
    }

    private static String readAll(Reader reader) throws IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[7];
        for (int n; (n = reader.read(buf)) > 0; ) {
            sb.append(buf, 0, n);
        }
        return sb.toString();
    }
}
