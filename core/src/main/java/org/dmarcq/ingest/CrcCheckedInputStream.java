package org.dmarcq.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.dmarcq.report.Location;

/**
 * A zip member's data, checked against the CRC-32 its archive records once it has been read to the
 * end (the streaming zip reader does not check it). The CRC is read from the entry at that point,
 * because a member written with a data descriptor has it only after its data.
 */
final class CrcCheckedInputStream extends BlockInputStream {
    private final ZipArchiveEntry entry;
    private final Location where;
    private final CRC32 crc = new CRC32();
    private boolean checked;

    CrcCheckedInputStream(InputStream in, ZipArchiveEntry entry, Location where) {
        super(in);
        this.entry = entry;
        this.where = where;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            crc.update(b, off, n);
        } else if (n < 0 && !checked) {
            checked = true;
            long expected = entry.getCrc();
            if (expected != -1 && expected != crc.getValue()) {
                throw CorruptInputException.checksum(where, String.format(
                        "zip member is damaged: its CRC-32 is %08x, the archive says %08x", crc.getValue(), expected));
            }
        }
        return n;
    }
}
