package org.dmarcq.ingest;

import java.time.Duration;

/**
 * Limits that keep hostile or broken input from exhausting the machine.
 *
 * @param maxBytes most bytes one input file may decompress to, all its members together
 * @param maxExpansion most times a compressed stream may expand its size, checked once it has
 *     produced {@link #EXPANSION_GRACE} bytes (zip and gzip bombs expand about 1000 times)
 * @param maxDepth most containers nested in each other, MIME multiparts and attached messages
 *     counted as containers (a zip attached to a plain report e-mail in an mbox is 4)
 * @param maxMembers most members one archive may hold
 * @param commitInterval how often finished reports are committed: what an interrupted ingest can
 *     lose, and has to read again
 */
public record IngestOptions(long maxBytes, long maxExpansion, int maxDepth, int maxMembers, Duration commitInterval) {
    /** Bytes a stream may produce before its expansion ratio is checked. */
    public static final long EXPANSION_GRACE = 64L << 20;

    public IngestOptions {
        if (maxBytes <= 0 || maxExpansion <= 0 || maxDepth <= 0 || maxMembers <= 0) {
            throw new IllegalArgumentException("ingest limits must be positive");
        }
        if (commitInterval == null || commitInterval.isNegative()) {
            throw new IllegalArgumentException("commitInterval must be zero or positive");
        }
    }

    /** 1 GiB per file, 500-fold expansion, 10 levels of nesting, 10,000 members per archive, commits every 5 s. */
    public static IngestOptions defaults() {
        return new IngestOptions(1L << 30, 500, 10, 10_000, Duration.ofSeconds(5));
    }

    public IngestOptions withMaxBytes(long bytes) {
        return new IngestOptions(bytes, maxExpansion, maxDepth, maxMembers, commitInterval);
    }

    public IngestOptions withCommitInterval(Duration interval) {
        return new IngestOptions(maxBytes, maxExpansion, maxDepth, maxMembers, interval);
    }
}
