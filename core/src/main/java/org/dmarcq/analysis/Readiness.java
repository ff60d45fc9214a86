package org.dmarcq.analysis;

import java.time.LocalDate;
import java.util.List;
import java.util.SortedMap;

/**
 * Whether a policy domain is ready for {@code p=quarantine} and {@code p=reject}, with the evidence.
 *
 * @param passRate the share of non-spoofed messages that passed DMARC at the receivers; null without such mail
 * @param dailyPassRate the same per UTC day, multi-day reports spread pro rata
 * @param toFix the senders that quarantine would break and that need fixing (class misconfigured)
 * @param systemsToFix the same grouped into sending systems, most failing messages first: the verdict counts these
 * @param currentPolicy {@code p} as published in the latest report
 */
public record Readiness(String policyDomain, int days, List<String> reporters, long messages, long spoofedMessages,
                        Double passRate, SortedMap<LocalDate, Double> dailyPassRate, Verdict quarantine, Verdict reject,
                        List<AffectedSender> toFix, List<SystemToFix> systemsToFix, String currentPolicy, String nextStep) {

    /** A sending system to fix: its addresses' {@link AffectedSender}s, most failing messages first. */
    public record SystemToFix(String name, String inventory, List<AffectedSender> senders) {
        public long failingMessages() {
            return senders.stream().mapToLong(AffectedSender::failingMessages).sum();
        }

        /** The failure reasons of its addresses, most failing messages first, each once. */
        public List<String> reasons() {
            return senders.stream().map(AffectedSender::reason).distinct().toList();
        }

        public List<String> ips() {
            return senders.stream().map(AffectedSender::sourceIp).toList();
        }
    }

    /** {@code ready}, {@code ready with N senders to fix} or {@code not ready}, and why. */
    public record Verdict(String verdict, List<String> because) {}

    /**
     * The bars the verdicts use; documented in docs/cli.md and overridable on the command line.
     *
     * @param minDays days of reports needed before any verdict but {@code not ready}
     * @param minReporters distinct reporting organisations needed
     * @param minPassRate pass rate of non-spoofed mail needed for {@code ready}
     * @param maxForwardedShare for reject: most share of non-spoofed mail that may come through
     *     forwarders and lists, which reject bounces
     */
    public record Thresholds(int minDays, int minReporters, double minPassRate, double maxForwardedShare) {
        public static Thresholds defaults() {
            return new Thresholds(14, 2, 0.98, 0.01);
        }
    }
}
