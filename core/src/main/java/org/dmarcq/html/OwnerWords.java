package org.dmarcq.html;

import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import org.dmarcq.analysis.AffectedSystem;
import org.dmarcq.analysis.Overview;
import org.dmarcq.analysis.Proposal;
import org.dmarcq.analysis.SenderClass;

/**
 * A sending system's problem in the words of the people who run it, not of a mail engineer: what
 * it does, what the policy change does to it, and what to ask for. The engineer's version (the
 * fix and the evidence the commands print) follows it on the page, unchanged.
 */
final class OwnerWords {
    private OwnerWords() {}

    /** What the system does and why receivers will not trust it. */
    static String problem(Overview.Action a, String domain) {
        AffectedSystem s = a.system();
        String who = s.name();
        String volume = "sends " + perDay(s.messagesPerSendingDay()) + " as " + domain;
        String signs = a.dkimDomains().isEmpty() ? null : String.join(", ", a.dkimDomains());
        String bounces = a.spfDomains().isEmpty() ? null : String.join(", ", a.spfDomains());
        String reason = s.reason() == null ? "" : s.reason();
        return switch (reason) {
            case "dkim-third-party" -> who + " " + volume + " but signs them as " + signs + " instead of " + domain
                    + (bounces == null ? "" : ", and sends its bounces to " + bounces) + ". Receivers accept mail as " + domain
                    + " only when its signature or its bounce address belongs to " + domain + ": here neither does.";
            case "spf-not-aligned" -> who + " " + volume + " with its bounces going to " + (bounces == null ? "another domain" : bounces)
                    + " and no signature of " + domain + ". Receivers accept mail as " + domain + " only when its signature or"
                    + " its bounce address belongs to " + domain + ": here neither does.";
            case "dkim-fail" -> who + " " + volume + " and signs them as " + domain + ", but the signatures do not check out at"
                    + " the receivers: the key it signs with is not the one published for " + domain + ", or something changes"
                    + " the messages after they are signed.";
            case "strict-alignment" -> who + " " + volume + ". Its mail passes today; it would fail only under the strict"
                    + " alignment proposed, because it signs or bounces with a subdomain of " + domain + " rather than "
                    + domain + " itself.";
            case "receiver-fail" -> who + " " + volume + ". What it does is right: the receivers report that its mail aligns"
                    + " with " + domain + ", yet they counted it as failing. Nothing needs changing at " + who + ".";
            default -> who + " " + volume + " without a signature of " + domain
                    + (signs == null ? "" : " (it signs as " + signs + ")")
                    + ", from addresses that " + domain + "'s list of allowed senders (its SPF record) does not name"
                    + (bounces == null || bounces.equals(domain) ? "" : " for its bounce domain " + bounces) + ".";
        };
    }

    /** What happens to that mail under the proposal. */
    static String consequence(Overview.Action a, Proposal proposal, String domain) {
        AffectedSystem s = a.system();
        String what = s.rejected() > s.quarantined() ? "refuse it: the recipients never see it"
                : "put it in spam or junk folders, where recipients rarely look";
        return "Once " + domain + " publishes p=" + proposal.p().word() + ", receivers will " + what + String.format(Locale.ROOT,
                " (about %,.0f messages over the period of this report).", s.affected());
    }

    /** What to ask of the people who use it. */
    static String ask(Overview.Action a, String domain) {
        AffectedSystem s = a.system();
        String who = s.name();
        String reason = s.reason() == null ? "" : s.reason();
        String prefix = s.senderClass() == SenderClass.UNVERIFIED
                ? "First find out whether anyone at " + domain + " uses " + who + " (nothing in the reports proves it; a forger"
                        + " can send through the same service). If a team does: "
                : "";
        String ask = switch (reason) {
            case "dkim-third-party", "no-auth", "spf-fail", "" -> "ask the team that uses " + who + " to turn on DKIM signing for "
                    + domain + " in " + who + " (it is often called domain authentication, a custom sending domain or"
                    + " domain verification). " + who + " then shows a few DNS records; send them to the mail administrator,"
                    + " who publishes them under " + domain + ".";
            case "spf-not-aligned" -> "ask the team that uses " + who + " to turn on DKIM signing for " + domain + " in " + who
                    + ", or to set a custom bounce (return-path) domain under " + domain + ". " + who + " shows the DNS records"
                    + " that takes; the mail administrator publishes them.";
            case "dkim-fail" -> "ask the team that runs " + who + " to compare the DKIM key it signs with against the one published"
                    + " for " + domain + ", and to check that nothing (a footer, a link rewriter, a disclaimer) changes messages"
                    + " after signing.";
            case "strict-alignment" -> "have " + who + " sign and bounce with exactly " + domain + ", or keep relaxed alignment.";
            case "receiver-fail" -> "nothing; the mail administrator may ask the receivers why.";
            default -> "ask the team that uses " + who + " to turn on DKIM signing for " + domain + " in " + who + ".";
        };
        return prefix + (prefix.isEmpty() ? Character.toUpperCase(ask.charAt(0)) + ask.substring(1) : ask);
    }

    /** The trend of a system's affected mail over its days, in a few words. */
    static String trend(SortedMap<java.time.LocalDate, Double> perDay, List<java.time.LocalDate> days) {
        if (days.size() < 6 || perDay.isEmpty()) {
            return "too few days to see a trend";
        }
        java.time.LocalDate last = perDay.lastKey();
        if (last.isBefore(days.get(days.size() - 1).minusDays(6)) && perDay.values().stream().anyMatch(v -> v > 0)) {
            return "stopped: none since " + last;
        }
        int third = days.size() / 3;
        double early = 0;
        double late = 0;
        for (int i = 0; i < third; i++) {
            early += perDay.getOrDefault(days.get(i), 0.0);
            late += perDay.getOrDefault(days.get(days.size() - 1 - i), 0.0);
        }
        if (early == 0 && late > 0) {
            return "new: started during the period";
        }
        double ratio = early == 0 ? 1 : late / early;
        return ratio > 1.5 ? "rising" : ratio < 0.67 ? "falling" : "steady";
    }

    /** "about 120 messages a day", with fewer digits the larger it is. */
    static String perDay(double n) {
        if (n < 1) {
            return "fewer than one message a day";
        }
        long rounded = n < 20 ? Math.round(n) : n < 200 ? Math.round(n / 5) * 5 : Math.round(n / 10) * 10;
        return String.format(Locale.ROOT, "about %,d %s a day", rounded, rounded == 1 ? "message" : "messages");
    }
}
