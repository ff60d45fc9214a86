package org.dmarcq.identity;

/** Reverse DNS of one address, with forward confirmation. Implementations are thread-safe. */
public interface ReverseDns {
    ReverseName lookup(String ip);
}
