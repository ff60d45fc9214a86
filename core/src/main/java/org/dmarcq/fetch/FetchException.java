package org.dmarcq.fetch;

/**
 * A mailbox that cannot be read, in words a user can act on: a login refused, a certificate not
 * trusted, a folder that does not exist, a connection lost. {@code retryable} when trying again
 * later may work (the connection dropped), not when the settings are wrong.
 */
public final class FetchException extends RuntimeException {
    private final boolean retryable;

    /** A failure that trying again will not mend (a password command that fails, say). */
    public FetchException(String message, Throwable cause) {
        this(message, false, cause);
    }

    FetchException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
