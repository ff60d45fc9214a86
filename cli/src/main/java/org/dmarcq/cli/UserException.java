package org.dmarcq.cli;

/** An error the user can act on; its message is shown as it is, without a stack trace. */
final class UserException extends RuntimeException {
    private final boolean usage;

    UserException(String message) {
        this(message, null, false);
    }

    UserException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private UserException(String message, Throwable cause, boolean usage) {
        super(message, cause);
        this.usage = usage;
    }

    /** A bad option value, found after parsing: exit status 2, as picocli's own usage errors. */
    static UserException usage(String message) {
        return new UserException(message, null, true);
    }

    boolean usage() {
        return usage;
    }
}
