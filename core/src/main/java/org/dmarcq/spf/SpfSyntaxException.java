package org.dmarcq.spf;

/** An SPF record that cannot be read (RFC 7208 §4.6): a {@code permerror} before anything is evaluated. */
public final class SpfSyntaxException extends Exception {
    SpfSyntaxException(String message) {
        super(message);
    }
}
