package org.dmarcq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dmarcq.identity.Inventory;
import picocli.CommandLine.Option;

/** {@code --inventory FILE}: the known sending systems; by default dmarcq-inventory.yaml beside the database. */
final class InventoryOptions {
    static final String DEFAULT_NAME = "dmarcq-inventory.yaml";

    @Option(names = "--inventory", paramLabel = "FILE",
            description = "The inventory of known sending systems (default: " + DEFAULT_NAME + " beside the database).")
    Path file;

    Path path(Path database) {
        if (file != null) {
            return file;
        }
        Path parent = database.toAbsolutePath().getParent();
        return parent == null ? Path.of(DEFAULT_NAME) : parent.resolve(DEFAULT_NAME);
    }

    /** The inventory; empty when the default file does not exist yet. A named file must exist. */
    Inventory load(Path database) {
        Path path = path(database);
        if (file == null && !Files.exists(path)) {
            return Inventory.empty();
        }
        try {
            return Inventory.load(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserException(path + ": no such inventory file; draft one with: dmarcq inventory suggest > " + path);
        } catch (IOException e) {
            throw new UserException(e.getMessage(), e);
        }
    }
}
