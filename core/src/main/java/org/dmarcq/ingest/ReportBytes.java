package org.dmarcq.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The start of one report, read into memory: all of it when it is no larger than the limit (so it
 * can be read again, to repair it), otherwise its first part with the rest still to stream. Beyond
 * its first chunk, the memory is a {@link MemoryBudget} copy, held until this is closed.
 */
final class ReportBytes implements AutoCloseable {
    /** Read before any budget is asked for: most reports are smaller. */
    static final int FIRST_CHUNK = 256 << 10;

    private final List<byte[]> chunks;
    private final int length;
    private final InputStream rest;
    private final MemoryBudget.Lease lease;

    private ReportBytes(List<byte[]> chunks, int length, InputStream rest, MemoryBudget.Lease lease) {
        this.chunks = chunks;
        this.length = length;
        this.rest = rest;
        this.lease = lease;
    }

    /** Reads up to {@code limit} bytes of {@code in}, one more to know whether there is more. */
    static ReportBytes read(InputStream in, int limit, MemoryBudget budget, BooleanSupplier beingStored)
            throws IOException, InterruptedException {
        List<byte[]> chunks = new ArrayList<>();
        byte[] first = in.readNBytes(Math.min(FIRST_CHUNK, limit + 1));
        chunks.add(first);
        int length = first.length;
        if (length < FIRST_CHUNK || length > limit) {
            return new ReportBytes(chunks, length, length > limit ? in : null, null);
        }
        MemoryBudget.Lease lease = budget.copy(beingStored);
        try {
            while (length <= limit) {
                byte[] chunk = in.readNBytes(Math.min(FIRST_CHUNK, limit + 1 - length));
                if (chunk.length == 0) {
                    break;
                }
                chunks.add(chunk);
                length += chunk.length;
            }
        } catch (IOException | RuntimeException | Error e) {
            lease.close();
            throw e;
        }
        return new ReportBytes(chunks, length, length > limit ? in : null, lease);
    }

    /** Whether the whole report is held. */
    boolean whole() {
        return rest == null;
    }

    /** Bytes held. */
    int length() {
        return length;
    }

    /** The report from its start: the bytes held, then the rest of the stream when not {@link #whole}. */
    InputStream content() {
        List<InputStream> parts = new ArrayList<>(chunks.size() + 1);
        for (byte[] chunk : chunks) {
            parts.add(new ByteArrayInputStream(chunk));
        }
        if (rest != null) {
            parts.add(rest);
        }
        return parts.size() == 1 ? parts.get(0) : new SequenceInputStream(Collections.enumeration(parts));
    }

    /** The bytes held, as one array. */
    byte[] toByteArray() {
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, all, at, chunk.length);
            at += chunk.length;
        }
        return all;
    }

    @Override
    public void close() {
        if (lease != null) {
            lease.close();
        }
    }
}
