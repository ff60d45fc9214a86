package org.dmarcq.analysis;

/**
 * What kind of source fails DMARC. The rules are in {@link WhatIf} and docs/cli.md; every verdict
 * carries its evidence.
 */
public enum SenderClass {
    /** Authenticates, or sends consistently, but not aligned with the domain: will break, needs fixing. */
    MISCONFIGURED("misconfigured", "your sender, misconfigured"),
    /** A relay that breaks SPF and often DKIM: collateral that receivers' local policy and ARC often absorb. */
    FORWARDER("forwarder", "forwarder / mailing list"),
    /** No authentication for the domain, scattered, low volume: blocking it is the point of DMARC. */
    SPOOFING("spoofing", "likely spoofing");

    private final String word;
    private final String label;

    SenderClass(String word, String label) {
        this.word = word;
        this.label = label;
    }

    /** The value in {@code --format json}. */
    public String word() {
        return word;
    }

    /** Words for people. */
    public String label() {
        return label;
    }
}
