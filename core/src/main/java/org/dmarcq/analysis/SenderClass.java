package org.dmarcq.analysis;

/**
 * What kind of source sends mail as the domain. The rules, first that applies, are in
 * {@link SourceAnalysis} and docs/cli.md; every class carries its evidence. Only evidence that a
 * forger cannot fake makes a source the owner's.
 */
public enum SenderClass {
    /** The owner's, by evidence (inventory, own PTR, own aligned DKIM): will break, needs fixing. */
    MISCONFIGURED("misconfigured", "your sender, misconfigured"),
    /** Sends steadily, in batches, or authenticated as a third party, and nothing ties it to the owner: the admin decides. */
    UNVERIFIED("unverified", "unverified: yours or not?"),
    /** A relay that breaks SPF and often DKIM: collateral that receivers' local policy and ARC often absorb. */
    FORWARDER("forwarder", "forwarder / mailing list"),
    /** No authentication for the domain, scattered, low volume, or marked not ours: blocking it is the point of DMARC. */
    SPOOFING("spoofing", "likely spoofing"),
    /** All its mail passes DMARC (in {@code senders} and {@code unknown}; never in what-if answers). */
    PASSING("passing", "passes DMARC");

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

    /** The class named by its JSON word, or null. */
    public static SenderClass of(String word) {
        for (SenderClass c : values()) {
            if (c.word.equals(word)) {
                return c;
            }
        }
        return null;
    }
}
