package org.dmarcq.ingest;

/**
 * Something in one input that could not be stored.
 *
 * @param file the input as given (a path, or {@code -} for standard input)
 * @param location where inside it: member, line and column when known
 * @param message what is wrong, without the location
 * @param cause the failure behind it when it was not plain bad input (a bug, memory exhausted), for
 *     diagnosis; null otherwise
 */
public record IngestProblem(String file, String location, String message, Throwable cause) {
    public IngestProblem(String file, String location, String message) {
        this(file, location, message, null);
    }

    /** The line a user sees: {@code location: message}. */
    @Override
    public String toString() {
        return location + ": " + message;
    }
}
