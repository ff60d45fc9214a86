package org.dmarcq.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A filter whose single-byte {@link #read()} and {@link #skip} go through
 * {@link #read(byte[], int, int)}, so that subclasses count, check or translate bytes in that one
 * method, and nothing reaches the underlying stream around it.
 */
abstract class BlockInputStream extends FilterInputStream {
    BlockInputStream(InputStream in) {
        super(in);
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        int read = buffer.length == 0 ? 0 : read(buffer, 0, buffer.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
