package org.dmarcq.ingest;

import java.io.IOException;
import org.dmarcq.report.Location;

/** Damaged compressed data, found while reading: carries the place so the message can name it. */
final class CorruptInputException extends IOException {
    private final Location location;

    CorruptInputException(Location location, String message, IOException cause) {
        super(message, cause);
        this.location = location;
    }

    Location location() {
        return location;
    }
}
