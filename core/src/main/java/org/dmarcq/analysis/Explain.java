package org.dmarcq.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dmarcq.analysis.Evidence.Kind;

/**
 * The words of a verdict: the evidence a class rests on, and what to do, for a source or a system
 * of sources ({@link SourceAnalysis.Facts}). Written for the admin, with the numbers they can check.
 */
final class Explain {
    private Explain() {}

    static List<Evidence> evidence(SourceAnalysis.Facts f) {
        List<Evidence> evidence = new ArrayList<>();
        String domain = f.policyDomain();
        switch (f.rule()) {
            case "not-ours" -> evidence.add(new Evidence(Kind.INVENTORY, "marked not yours in the inventory: " + f.entryName()
                    + (f.entryNote() == null ? "" : " (" + f.entryNote() + ")")));
            case "inventory" -> evidence.add(new Evidence(Kind.INVENTORY, "yours, by the inventory: " + f.entryName()));
            case "strict" -> evidence.add(new Evidence(f.dkimDomains().isEmpty() ? Kind.SPF : Kind.DKIM,
                    "passes DMARC today; fails only under the proposed strict alignment"));
            case "receiver" -> evidence.add(new Evidence(f.receiverDkim() * 2 >= f.receiverOnly() ? Kind.DKIM : Kind.SPF,
                    percent(f.receiverOnly(), f.failing()) + " of its failing messages align with " + domain + " by the "
                    + (f.receiverDkim() * 2 >= f.receiverOnly() ? "DKIM" : "SPF") + " results the receivers reported, yet"
                    + " they reported DMARC fail (a different public suffix list, or a local rule): nothing to fix at the"
                    + " source"));
            case "ptr" -> evidence.add(new Evidence(Kind.PTR, "its reverse DNS name " + f.ptr() + " (forward-confirmed) is under "
                    + f.ownOrg()));
            case "spf-record" -> evidence.add(new Evidence(Kind.SPF, "its address is authorised by " + f.spfTerm()
                    + ": a term of your own, in the record you publish"));
            case "dkim" -> evidence.add(new Evidence(Kind.DKIM, String.format(Locale.ROOT, "DKIM aligned with %s passes on %,d of"
                    + " its messages: the same address also sends your signed mail", domain, f.dkimAlignedPassing())));
            default -> {
                // the rules below describe, they do not tie the source to the owner
            }
        }
        if (f.spfTerm() != null && !f.rule().equals("spf-record")) {
            evidence.add(new Evidence(Kind.SPF, "its address is authorised by " + f.spfTerm() + (f.spfOwn() ? ""
                    : ": a shared service's, which authorises its other customers too, so no evidence that the mail is yours")));
        }
        if (f.rule().equals("forwarder")) {
            if (f.absorbed() > 0) {
                evidence.add(new Evidence(Kind.OVERRIDE, percent(f.absorbed(), f.failing()) + " of its failing messages were"
                        + " delivered anyway by receivers (forwarding, mailing-list or local-policy override)"));
            }
            if (f.authorFailed() > 0) {
                evidence.add(new Evidence(Kind.DKIM, percent(f.authorFailed(), f.failing()) + " carry a failing DKIM signature of "
                        + domain + "'s own, typical of a message changed in transit"
                        + (f.brokenSignatures().isEmpty() ? "" : ": " + String.join(", ", f.brokenSignatures()))));
            }
        }
        if (f.authenticated() > 0 && !f.rule().equals("strict") && !f.rule().equals("receiver")) {
            List<String> thirdParty = new ArrayList<>(f.dkimDomains());
            if (!thirdParty.isEmpty()) {
                evidence.add(new Evidence(Kind.DKIM, "DKIM passes for " + String.join(", ", thirdParty) + ", not aligned with " + domain));
            }
            if (f.thirdPartySpf() > 0) {
                evidence.add(new Evidence(Kind.SPF, "SPF passes for " + String.join(", ", f.spfDomains()) + ", not aligned with " + domain));
            }
        }
        if (f.service() != null) {
            evidence.add(new Evidence(Kind.SERVICE, String.format(Locale.ROOT, "sends through %s (%s, on %s messages)%s",
                    f.service(), f.serviceDetail(), share(f.serviceMessages(), f.serviceWhole()),
                    f.senderClass() == SenderClass.UNVERIFIED ? ": a service alone does not make it yours, anyone can send"
                            + " through it" : "")));
        } else if (f.ptr() != null && !f.rule().equals("ptr")) {
            evidence.add(new Evidence(Kind.PTR, "reverse DNS " + f.ptr() + " (forward-confirmed)"));
        }
        long counted = f.rule().equals("passing") ? f.messages() : f.failing();
        String volume = String.format(Locale.ROOT, "%,d %s%s; sent on %d of %d %s with reports, about %s per sending day",
                counted, f.rule().equals("passing") ? "" : "failing ", counted == 1 ? "message" : "messages", f.sendingDays(),
                f.scopeDays(), f.scopeDays() == 1 ? "day" : "days", perDay(f.perSendingDay()));
        evidence.add(new Evidence(Kind.VOLUME, switch (f.rule()) {
            case "steady" -> volume + ": a steady source";
            case "batch" -> volume + ": it sends in batches";
            case "none" -> volume + "; no SPF or DKIM pass for any domain, and not steady";
            default -> volume;
        }));
        if (f.senderClass() == SenderClass.UNVERIFIED) {
            evidence.add(new Evidence(Kind.INVENTORY, "nothing ties it to you: not in the inventory, no reverse DNS under "
                    + (f.ownOrg() == null ? domain : f.ownOrg()) + ", no aligned DKIM of yours from its address"
                    + (f.spfKnown() ? ", not in your SPF record" : "")));
        }
        return List.copyOf(evidence);
    }

    /** What to do, for a source or system of the class its facts give. */
    static String fix(SourceAnalysis.Facts f) {
        return switch (f.senderClass()) {
            case SPOOFING -> f.rule().equals("not-ours") ? "nothing: your inventory says it is not yours, and enforcement blocks it"
                    : "nothing: this is the mail the policy exists to block";
            case FORWARDER -> "nothing at the source; keep DKIM signing so forwarded mail still passes, and expect receivers'"
                    + " local policy and ARC to absorb much of it (watch it under p=quarantine before p=reject)";
            case UNVERIFIED -> "check whether it is yours (ask who uses " + (f.service() != null ? f.service() : "this system")
                    + "). If it is: " + repair(f) + ", and add it to the inventory (dmarcq inventory suggest drafts the entry)."
                    + " If it is not: mark it ours: false in the inventory, or leave it; enforcement blocks it, as it should";
            case PASSING -> "nothing: its mail passes DMARC";
            case MISCONFIGURED -> repair(f);
        };
    }

    /** How to make the mail of a system of one's own pass, by its main failure reason. */
    private static String repair(SourceAnalysis.Facts f) {
        String domain = f.policyDomain();
        String r = f.reason() == null ? "" : f.reason();
        return switch (r) {
            case "receiver-fail" -> "ask the receiver: it reports failing DMARC although the SPF or DKIM results it reports"
                    + " align with " + domain + " (a different public suffix list, or a local policy); nothing to fix at the source";
            case "strict-alignment" -> "keep relaxed alignment, or have this sender sign (d=) and bounce (return-path) with"
                    + " exactly the From domain";
            case "dkim-third-party" -> "have the service that signs as " + String.join(", ", f.dkimDomains())
                    + (f.selectors().isEmpty() ? "" : " (selector " + String.join(", ", f.selectors()) + ")")
                    + " sign with DKIM as " + domain + ": publish the DKIM key it gives you (a selector under _domainkey."
                    + domain + ") and enable custom signing";
            case "spf-not-aligned" -> (f.spfTerm() != null ? "its address is already authorised in your SPF record ("
                    + f.spfTerm() + "), but its mail bounces to " + String.join(", ", f.spfDomains()) + ", so SPF does not"
                    + " align: " : "") + "set a custom return-path (bounce domain) under " + domain + " at the service that"
                    + " uses " + String.join(", ", f.spfDomains()) + ", or have it sign with DKIM as " + domain;
            case "dkim-fail" -> "its DKIM signatures as " + domain
                    + (f.brokenSignatures().isEmpty() ? "" : " (" + String.join(", ", f.brokenSignatures()) + ")")
                    + " fail: check that the published key matches the signer's and that nothing rewrites the message after"
                    + " signing";
            default -> f.spfTerm() != null
                    ? "its address is authorised in your SPF record (" + f.spfTerm() + "), yet SPF did not pass for " + domain
                            + " at the receivers: its envelope domain is another, or the record changed since the reports;"
                            + " DKIM-sign its mail as " + domain
                    : "DKIM-sign its mail as " + domain + ", or add " + addresses(f) + " to the SPF record of the envelope domain ("
                            + (f.spfDomains().isEmpty() ? domain : String.join(", ", f.spfDomains())) + ") if it sends with that"
                            + " return-path" + (f.spfKnown() ? " (it is not in your SPF record now)" : "");
        };
    }

    private static String addresses(SourceAnalysis.Facts f) {
        List<String> ips = f.ips();
        if (ips.size() <= 3) {
            return String.join(", ", ips);
        }
        return String.join(", ", ips.subList(0, 3)) + " and " + (ips.size() - 3) + " more addresses";
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.0f%%", whole == 0 ? 0 : 100.0 * part / whole);
    }

    private static String share(long part, long whole) {
        return String.format(Locale.ROOT, "%,d of its %,d", part, whole);
    }

    private static String perDay(double n) {
        return n >= 10 || n == Math.rint(n) ? String.format(Locale.ROOT, "%,.0f", n) : String.format(Locale.ROOT, "%.1f", n);
    }
}
