package org.dmarcq.ingest;

import java.io.IOException;
import org.dmarcq.report.Location;

/** Damaged compressed data, found while reading: carries the place so the message can name it. */
final class CorruptInputException extends IOException {
    private final Location location;
    private final boolean checksum;

    CorruptInputException(Location location, String message, IOException cause) {
        this(location, message, cause, false);
    }

    private CorruptInputException(Location location, String message, IOException cause, boolean checksum) {
        super(message, cause);
        this.location = location;
        this.checksum = checksum;
    }

    /** A member's bytes do not match their checksum: the member is damaged, the container around it may not be. */
    static CorruptInputException checksum(Location location, String message) {
        return new CorruptInputException(location, message, null, true);
    }

    Location location() {
        return location;
    }

    boolean checksum() {
        return checksum;
    }
}
