package org.dmarcq.store;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How long to wait for the database file when another process holds it (DuckDB lets one process
 * write, or several read), and whom to tell, once, that dmarcq is waiting.
 *
 * @param most the longest wait; zero to fail at once
 * @param waiting receives one line when the wait lasts (what holds the file)
 * @param hint what the user can do when the wait ran out, appended to the error
 */
public record Wait(Duration most, Consumer<String> waiting, String hint) {
    /** Fail at once when the file is held. */
    public static final Wait NONE = new Wait(Duration.ZERO, message -> { }, "");

    public Wait {
        Objects.requireNonNull(most);
        Objects.requireNonNull(waiting);
        Objects.requireNonNull(hint);
    }
}
