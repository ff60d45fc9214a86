package org.dmarcq.analysis;

import java.util.Set;

/** What to do about a sender that a stricter policy would break, in words, from its class and reason. */
final class Fixes {
    private Fixes() {}

    static String fix(SenderClass senderClass, String reason, String domain, String ip, Set<String> dkimPassDomains,
                      Set<String> dkimPassSelectors, Set<String> spfDomains, Set<String> failedAuthorSignatures) {
        if (senderClass == SenderClass.SPOOFING) {
            return "nothing: this is the mail the policy exists to block";
        }
        if (senderClass == SenderClass.FORWARDER) {
            return "nothing at the source; keep DKIM signing so forwarded mail still passes, and expect receivers' local"
                    + " policy and ARC to absorb much of it (watch it under p=quarantine before p=reject)";
        }
        String r = reason == null ? "" : reason;
        return switch (r) {
            case "receiver-fail" -> "ask the receiver: it reports failing DMARC although the SPF or DKIM results it reports"
                    + " align with " + domain + " (a different public suffix list, or a local policy)";
            case "strict-alignment" -> "keep relaxed alignment, or have this sender sign (d=) and bounce (return-path) with"
                    + " exactly the From domain";
            case "dkim-third-party" -> "have the service that signs as " + String.join(", ", dkimPassDomains)
                    + (dkimPassSelectors.isEmpty() ? "" : " (selector " + String.join(", ", dkimPassSelectors) + ")")
                    + " sign with DKIM as " + domain + ": publish the DKIM key it gives you (a selector under _domainkey."
                    + domain + ") and enable custom signing";
            case "spf-not-aligned" -> "set a custom return-path (bounce domain) under " + domain + " at the service that"
                    + " uses " + String.join(", ", spfDomains) + ", or have it sign with DKIM as " + domain;
            case "dkim-fail" -> "its DKIM signatures as " + domain + " fail (" + String.join(", ", failedAuthorSignatures)
                    + "): check that the published key matches the signer's and that nothing rewrites the message after signing";
            default -> "if " + ip + " is a server of yours: DKIM-sign its mail as " + domain
                    + ", or add it to the SPF record of the envelope domain (" + (spfDomains.isEmpty() ? domain : String.join(", ", spfDomains))
                    + ") if it sends with that return-path";
        };
    }
}
