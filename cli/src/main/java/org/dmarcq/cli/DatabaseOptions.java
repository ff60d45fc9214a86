package org.dmarcq.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.dmarcq.store.Wait;
import picocli.CommandLine.Option;

/**
 * {@code --db FILE}: which database, defaulting to {@code $DMARCQ_DB}, then {@code ./dmarcq.duckdb};
 * {@code --wait SECONDS}: how long to wait for it while another process holds it.
 */
final class DatabaseOptions {
    static final String ENVIRONMENT = "DMARCQ_DB";
    static final String DEFAULT = "dmarcq.duckdb";

    @Option(names = "--db", paramLabel = "FILE",
            description = "The database file (default: $" + ENVIRONMENT + " when set, else " + DEFAULT + " in the current folder).")
    Path db;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for the database while another dmarcq writes to it (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    /** How to wait for the file: up to --wait, saying so once on {@code err}. */
    Wait waiting(PrintWriter err) {
        if (waitSeconds < 0) {
            throw UserException.usage("--wait " + waitSeconds + ": expected a number of seconds, 0 or more");
        }
        return new Wait(Duration.ofSeconds(waitSeconds), line -> {
            err.println("dmarcq: " + line);
            err.flush();
        }, ", or give it longer with --wait SECONDS");
    }

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
