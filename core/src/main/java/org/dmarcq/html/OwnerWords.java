package org.dmarcq.html;

import java.time.LocalDate;
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
 * fix and the evidence the commands print) follows it on the page, unchanged. Every sentence says
 * only what the reports show: where they cannot tell (whether a system is yours), it says so.
 */
final class OwnerWords {
    private OwnerWords() {}

    /** The tool the system is, for "turn it on in ...": the service, else the name, else the address's software. */
    static String tool(AffectedSystem s) {
        if (s.service() != null) {
            return s.service();
        }
        return looksLikeAddress(s.name()) ? "the software that sends from " + s.name() : s.name();
    }

    private static boolean looksLikeAddress(String name) {
        return name.matches("[0-9.]+|[0-9a-fA-F:]+:[0-9a-fA-F:.]*");
    }

    /** What the system does and why receivers will not trust it. */
    static String problem(Overview.Action a, String domain, int days) {
        AffectedSystem s = a.system();
        String who = s.name();
        String volume = "sends " + perDay(s.messagesPerSendingDay()) + (days > 0 && s.sendingDays() < days
                ? " on the days it sends (" + s.sendingDays() + " of the " + days + " days with reports)" : "") + " as " + domain;
        String signs = a.dkimDomains().isEmpty() ? null : String.join(", ", a.dkimDomains());
        String bounces = a.spfDomains().isEmpty() ? null : String.join(", ", a.spfDomains());
        String reason = s.reason() == null ? "" : s.reason();
        String rule = " Receivers accept mail as " + domain + " only when its signature or its bounce address belongs to " + domain
                + ": here neither does.";
        return switch (reason) {
            case "dkim-third-party" -> who + " " + volume + " but signs them as " + signs + " instead of " + domain
                    + (bounces == null ? "" : ", and sends its bounces to " + bounces) + "." + rule;
            case "spf-not-aligned" -> who + " " + volume + " with its bounces going to " + (bounces == null ? "another domain" : bounces)
                    + " and no signature of " + domain + "." + rule;
            case "dkim-fail" -> who + " " + volume + " and signs them as " + domain + ", but the signatures do not check out at"
                    + " the receivers: the key it signs with is not the one published for " + domain + ", or something changes"
                    + " the messages after they are signed.";
            case "strict-alignment" -> who + " " + volume + ". Its mail passes today; it would fail only under the strict"
                    + " alignment proposed, because it signs or bounces with a subdomain of " + domain + " rather than "
                    + domain + " itself.";
            case "receiver-fail" -> who + " " + volume + ". The receivers report results for its mail that align with " + domain
                    + ", yet they counted it as failing: nothing needs changing at " + who + ".";
            default -> who + " " + volume + " without a signature of " + domain + (signs == null ? "" : " (it signs as " + signs + ")")
                    + ", and the receivers did not see SPF pass for " + domain
                    + (a.spfTerm() != null ? " although " + a.spfTerm() + " lists its address: its bounce address is another"
                            + " domain" + (bounces == null ? "" : " (" + bounces + ")") + ", or the record changed since"
                            : bounces == null || bounces.equals(domain) ? "" : " (its bounces go to " + bounces + ")")
                    + "." + rule;
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

    /** What to do: to the owner when the inventory names one, else what to ask the team that uses it. */
    static String ask(Overview.Action a, String domain) {
        AffectedSystem s = a.system();
        String tool = tool(s);
        String reason = s.reason() == null ? "" : s.reason();
        String dkim = "turn on DKIM signing for " + domain + " in " + tool + " (it is often called domain authentication, a custom"
                + " sending domain or domain verification); it then shows a few DNS records: send them to the mail administrator,"
                + " who publishes them under " + domain + ".";
        String what = switch (reason) {
            case "spf-not-aligned" -> "turn on DKIM signing for " + domain + " in " + tool + ", or set a custom bounce (return-path)"
                    + " domain under " + domain + "; it then shows the DNS records that takes: the mail administrator publishes them.";
            case "dkim-fail" -> "compare the DKIM key " + tool + " signs with against the one published for " + domain
                    + ", and check that nothing (a footer, a link rewriter, a disclaimer) changes messages after signing.";
            case "strict-alignment" -> "have " + tool + " sign and bounce with exactly " + domain + ", or keep relaxed alignment.";
            default -> dkim;
        };
        if (reason.equals("receiver-fail")) {
            return "Nothing; the mail administrator may ask the receivers why.";
        }
        String doIt = a.owner() != null ? capital(what) : "Ask the team that uses " + tool + " to " + what;
        if (s.senderClass() == SenderClass.UNVERIFIED) {
            return "First find out whether anyone at " + domain + " uses " + tool + ": nothing in the reports proves it, and a forger"
                    + " can send through the same service. If nobody does, do nothing: the policy blocks it, as it should. If a team"
                    + " does: " + (a.owner() != null ? what : "ask it to " + what);
        }
        return doIt;
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The trend of a system's affected mail over its days, in a few words. */
    static String trend(SortedMap<LocalDate, Double> perDay, List<LocalDate> days) {
        if (days.size() < 6 || perDay.isEmpty()) {
            return "too few days to see a trend";
        }
        LocalDate last = perDay.lastKey();
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
