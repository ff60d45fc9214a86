package org.dmarcq.spf;

/** An SPF record that cannot be read (RFC 7208 §4.6): a {@code permerror} before anything is evaluated. */
public final class SpfSyntaxException extends Exception {
    /** At most this many characters of a message: the terms it quotes come from DNS or the command line. */
    static final int MAX_MESSAGE = 300;

    SpfSyntaxException(String message) {
        super(message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…");
    }
}
