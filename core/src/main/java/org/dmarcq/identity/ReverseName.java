package org.dmarcq.identity;

/**
 * What reverse DNS says of an address.
 *
 * @param ptr the PTR name (lowercase, no trailing dot), or null when there is none
 * @param confirmed whether the name resolves back to the address (forward-confirmed reverse DNS):
 *     only a confirmed name is evidence of who runs the address
 * @param error why the lookup failed (timeout, server failure), or null: a failed lookup is tried again later
 */
public record ReverseName(String ip, String ptr, boolean confirmed, String error) {}
