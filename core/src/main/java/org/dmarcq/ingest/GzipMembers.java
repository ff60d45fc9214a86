package org.dmarcq.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.utils.InputStreamStatistics;

/**
 * The decompressed content of a gzip stream: every member in turn (RFC 1952 allows several), and
 * anything after the last member that is not another member ignored. Spec D18: some reporters
 * (Mimecast) send gzip data with bytes after the end, which stricter readers reject outright.
 */
final class GzipMembers extends BlockInputStream implements InputStreamStatistics {
    private final BufferedInputStream compressed;
    private GzipCompressorInputStream member;
    private long compressedBefore;
    private long uncompressedBefore;

    /** @param in positioned at a gzip header; mark support lets each member end exactly where it ends */
    GzipMembers(BufferedInputStream in) throws IOException {
        super(in);
        this.compressed = in;
        this.member = new GzipCompressorInputStream(in, /* decompressConcatenated= */ false);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (member != null) {
            int n = member.read(b, off, len);
            if (n >= 0) {
                return n;
            }
            compressedBefore += member.getCompressedCount();
            uncompressedBefore += member.getUncompressedCount();
            compressed.mark(2);
            int b0 = compressed.read();
            int b1 = compressed.read();
            compressed.reset();
            member = b0 == 0x1f && b1 == 0x8b ? new GzipCompressorInputStream(compressed, false) : null;
        }
        return -1;
    }

    @Override
    public long getCompressedCount() {
        return compressedBefore + (member == null ? 0 : member.getCompressedCount());
    }

    @Override
    public long getUncompressedCount() {
        return uncompressedBefore + (member == null ? 0 : member.getUncompressedCount());
    }

}
