package org.dmarcq.analysis;

import java.time.LocalDate;
import java.util.List;
import java.util.SortedMap;

/**
 * Whether a policy domain is ready for {@code p=quarantine} and {@code p=reject}, with the evidence.
 *
 * @param passRate the share of non-spoofed messages that passed DMARC at the receivers; null without such mail
 * @param passRateWithoutForwarded the same leaving forwarded mail out (it does not block quarantine); null without such mail
 * @param dailyPassRate the pass rate per UTC day, multi-day reports spread pro rata
 * @param toFix the owner's senders that quarantine would break (class misconfigured), one per address
 * @param systemsToFix the same grouped into sending systems, most failing messages first: the verdict counts these
 * @param systemsToVerify unverified systems: the admin must say whether they are theirs
 * @param receiverFailures systems whose mail fails only at receivers that disagree with what they report: nothing to fix at the source
 * @param unverifiedShare the share of the non-spoofed mail that fails from unverified systems
 * @param rfc7489Share the share of the mail that is not spoofing reported by RFC 7489 receivers, which ignore {@code t=y}
 * @param currentPolicy {@code p} as published in the latest report
 */
public record Readiness(String policyDomain, int days, List<String> reporters, long messages, long spoofedMessages,
                        Double passRate, SortedMap<LocalDate, Double> dailyPassRate, Verdict quarantine, Verdict reject,
                        List<AffectedSender> toFix, List<SystemToFix> systemsToFix, String currentPolicy, String nextStep,
                        long forwardedMessages, Double passRateWithoutForwarded, List<AffectedSystem> systemsToVerify,
                        List<AffectedSystem> receiverFailures, double unverifiedShare, double rfc7489Share) {

    /** A sending system to fix, and its addresses' {@link AffectedSender}s, most failing messages first. */
    public record SystemToFix(AffectedSystem system, List<AffectedSender> senders) {
        public String name() {
            return system.name();
        }

        public String inventory() {
            return system.inventory();
        }

        public long failingMessages() {
            return system.failingMessages();
        }

        /** The failure reasons of its addresses, most failing messages first, each once. */
        public List<String> reasons() {
            List<String> reasons = senders.stream().map(AffectedSender::reason).distinct().toList();
            return reasons.isEmpty() ? system.reasons() : reasons;
        }

        public List<String> ips() {
            return system.ips();
        }

        public String fix() {
            return system.fix();
        }
    }

    /** {@code ready}, {@code ready with N senders to fix} or {@code not ready}, and why. */
    public record Verdict(String verdict, List<String> because) {}

    /**
     * The bars the verdicts use; documented in docs/cli.md and overridable on the command line.
     *
     * @param minDays days of reports needed before any verdict but {@code not ready}
     * @param minReporters distinct reporting organisations needed
     * @param minPassRate pass rate of non-spoofed mail needed for {@code ready} (forwarded mail left out for quarantine)
     * @param maxForwardedShare for reject: most share of non-spoofed mail that may come through
     *     forwarders and lists, which reject bounces
     * @param maxUnverifiedShare most share of non-spoofed mail that may fail from unverified systems:
     *     above it, they must be verified first
     */
    public record Thresholds(int minDays, int minReporters, double minPassRate, double maxForwardedShare,
                             double maxUnverifiedShare) {
        public static Thresholds defaults() {
            return new Thresholds(14, 2, 0.98, 0.01, 0.01);
        }
    }
}
