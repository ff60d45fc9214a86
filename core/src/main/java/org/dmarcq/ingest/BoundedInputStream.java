package org.dmarcq.ingest;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.utils.InputStreamStatistics;

/**
 * A decompressed stream that refuses to grow past the file's byte budget, or to expand its
 * compressed input more than the allowed ratio: the defence against zip and gzip bombs. Nothing
 * is read past a limit, so a bomb costs at most the limit in CPU and no memory. Without
 * statistics (a plain file) only the budget applies.
 */
final class BoundedInputStream extends BlockInputStream {
    /** Bytes the whole input file may still decompress to; shared by every layer of one file. */
    static final class Budget {
        private final long limit;
        private long used;

        Budget(long limit) {
            this.limit = limit;
        }
    }

    private final InputStreamStatistics statistics;
    private final Budget budget;
    private final IngestOptions options;
    private long produced;

    BoundedInputStream(InputStream decompressed, InputStreamStatistics statistics, Budget budget, IngestOptions options) {
        super(decompressed);
        this.statistics = statistics;
        this.budget = budget;
        this.options = options;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            produced += n;
            budget.used += n;
            if (budget.used > budget.limit) {
                throw new InputRefusedException("refused: more than " + mebibytes(budget.limit)
                        + (statistics == null ? "" : " decompressed") + " (the limit; raise it with --max-size)");
            }
            if (produced > IngestOptions.EXPANSION_GRACE && statistics != null) {
                long compressed = Math.max(1, statistics.getCompressedCount());
                if (produced / compressed > options.maxExpansion()) {
                    throw new InputRefusedException("refused: a decompression bomb (expands more than "
                            + options.maxExpansion() + " times)");
                }
            }
        }
        return n;
    }

    static String mebibytes(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : bytes % 1024 == 0 ? (bytes >> 10) + " KiB"
                : String.format(java.util.Locale.ROOT, "%,d bytes", bytes);
    }
}
