package org.dmarcq.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --db FILE}: which database, defaulting to {@code $DMARCQ_DB}, then {@code ./dmarcq.duckdb}. */
final class DatabaseOptions {
    static final String ENVIRONMENT = "DMARCQ_DB";
    static final String DEFAULT = "dmarcq.duckdb";

    @Option(names = "--db", paramLabel = "FILE",
            description = "The database file (default: $" + ENVIRONMENT + ", else ./" + DEFAULT + ").")
    Path db;

    Path path() {
        if (db != null) {
            return db;
        }
        String fromEnvironment = System.getenv(ENVIRONMENT);
        return fromEnvironment != null && !fromEnvironment.isBlank() ? Path.of(fromEnvironment) : Path.of(DEFAULT);
    }

    /** The database for a question: it must exist (only ingest creates one). */
    Path existing() {
        Path file = path();
        if (!Files.isRegularFile(file)) {
            throw new UserException(file + ": no such database; create it with dmarcq ingest");
        }
        return file;
    }
}
