package org.dmarcq.ingest;

import java.io.IOException;

/** Input refused by a limit of {@link IngestOptions}: a decompression bomb, nesting too deep, ... */
final class InputRefusedException extends IOException {
    InputRefusedException(String message) {
        super(message);
    }
}
