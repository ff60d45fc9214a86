package org.dmarcq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Golden outputs in testdata/cli/; {@code -Ddmarcq.golden.update=true} rewrites them (review the diff). */
final class Golden {
    private static final boolean UPDATE = Boolean.getBoolean("dmarcq.golden.update");

    private Golden() {}

    static void compare(String name, String actual) throws IOException {
        Path file = Path.of("testdata/cli").resolve(name);
        if (UPDATE || !Files.exists(file)) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            if (!UPDATE) {
                throw new AssertionError("no golden file: wrote " + file + "; review it and run again");
            }
        }
        assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
