package org.dmarcq.cli;

/** An error the user can act on; its message is shown as it is, without a stack trace. */
final class UserException extends RuntimeException {
    UserException(String message) {
        super(message);
    }

    UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
