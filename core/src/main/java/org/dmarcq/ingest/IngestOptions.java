package org.dmarcq.ingest;

/**
 * Limits that keep hostile or broken input from exhausting the machine.
 *
 * @param maxBytes most bytes one input file may decompress to, all its members together
 * @param maxExpansion most times a compressed stream may expand its size, checked once it has
 *     produced {@link #EXPANSION_GRACE} bytes (zip and gzip bombs expand about 1000 times)
 * @param maxDepth most containers nested in each other (a zip in an e-mail in an mbox is 3)
 * @param maxMembers most members one archive may hold
 */
public record IngestOptions(long maxBytes, long maxExpansion, int maxDepth, int maxMembers) {
    /** Bytes a stream may produce before its expansion ratio is checked. */
    public static final long EXPANSION_GRACE = 64L << 20;

    public IngestOptions {
        if (maxBytes <= 0 || maxExpansion <= 0 || maxDepth <= 0 || maxMembers <= 0) {
            throw new IllegalArgumentException("ingest limits must be positive");
        }
    }

    /** 1 GiB per file, 500-fold expansion, 6 levels of nesting, 10,000 members per archive. */
    public static IngestOptions defaults() {
        return new IngestOptions(1L << 30, 500, 6, 10_000);
    }

    public IngestOptions withMaxBytes(long bytes) {
        return new IngestOptions(bytes, maxExpansion, maxDepth, maxMembers);
    }
}
