package org.dmarcq.ingest;

import java.io.IOException;
import org.dmarcq.report.Location;

/** Input refused by a limit of {@link IngestOptions}: a decompression bomb, nesting too deep, ... */
final class InputRefusedException extends IOException {
    private final Location location;

    InputRefusedException(String message) {
        this(null, message);
    }

    private InputRefusedException(Location location, String message) {
        super(message);
        this.location = location;
    }

    /** Where the limit was hit, or null when not yet known. */
    Location location() {
        return location;
    }

    /** The same refusal, placed at {@code where} unless it already has a place. */
    InputRefusedException at(Location where) {
        return location != null ? this : new InputRefusedException(where, getMessage());
    }
}
