package org.dmarcq.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.dmarcq.identity.ServiceMap;
import picocli.CommandLine.Option;

/** {@code --services FILE}: services of one's own, added to the bundled service map. */
final class ServicesOptions {
    @Option(names = "--services", paramLabel = "FILE",
            description = "A YAML file of sending services to add to the bundled service map (format in docs/cli.md).")
    Path file;

    ServiceMap map() {
        if (file == null) {
            return ServiceMap.bundled();
        }
        try {
            return ServiceMap.withFile(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserException(file + ": no such services file");
        } catch (IOException e) {
            throw new UserException(e.getMessage(), e);
        }
    }
}
