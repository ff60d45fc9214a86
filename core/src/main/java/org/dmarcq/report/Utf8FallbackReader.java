package org.dmarcq.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8, reading each byte that is not valid UTF-8 as windows-1252 instead of failing
 * (spec D15: reports declared or assumed UTF-8 that carry windows-1252 bytes). Counts such bytes
 * so the caller can record a warning.
 */
final class Utf8FallbackReader extends Reader {
    private static final char[] WINDOWS_1252 = new String(allBytes(), Charset.forName("windows-1252")).toCharArray();

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(16 * 1024).flip();
    private boolean eof;
    private long malformedBytes;

    Utf8FallbackReader(InputStream in) {
        this.in = in;
    }

    long malformedBytes() {
        return malformedBytes;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(buf, off, len);
        while (out.position() == off) {
            CoderResult result = decoder.decode(bytes, out, eof);
            if (result.isMalformed() || result.isUnmappable()) {
                fallback(out, result.length());
            } else if (out.position() == off) {
                if (eof) {
                    return -1; // with endOfInput set, a cut-off sequence is reported as malformed above
                }
                fill();
            }
        }
        return out.position() - off;
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            eof = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    private void fallback(CharBuffer out, int length) {
        for (int i = 0; i < length && out.hasRemaining(); i++) {
            out.put(WINDOWS_1252[bytes.get() & 0xff]);
            malformedBytes++;
        }
    }

    private static byte[] allBytes() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        return all;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
