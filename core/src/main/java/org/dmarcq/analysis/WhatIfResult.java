package org.dmarcq.analysis;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a {@link Proposal} would do in a {@link Scope}: the headline, one entry per affected sending
 * system and class (most affected messages first), the spoofing per policy domain, each affected
 * source when asked for, and the replay of periods in which the reports show quarantine or reject
 * was already published.
 *
 * @param days UTC days with report data in the scope
 * @param messagesRfc7489 messages reported by receivers in the RFC 7489 format, which ignore {@code t=y}
 * @param senders every affected source, when the run was asked for them; else empty
 */
public record WhatIfResult(Proposal proposal, Scope scope, long messages, long failingMessages, double quarantined,
                           double rejected, Map<SenderClass, Double> byClass, int days, List<AffectedSystem> systems,
                           List<Spoofing> spoofing, List<AffectedSender> senders, List<Replay> replay, long messagesRfc7489) {

    /** The same answer with these sources. */
    public WhatIfResult withSenders(List<AffectedSender> senders) {
        return new WhatIfResult(proposal, scope, messages, failingMessages, quarantined, rejected, byClass, days, systems,
                spoofing, senders, replay, messagesRfc7489);
    }

    /**
     * The spoofing of one policy domain, in one line: how much, from how many sources, why it
     * fails, and its largest sources (to spot a system of one's own among them).
     */
    public record Spoofing(String policyDomain, int sources, long failingMessages, double affected, Map<String, Long> reasons,
                           List<Largest> largest, int markedNotOurs) {}

    /** One of the largest spoofing sources: its address, failing messages and sending days. */
    public record Largest(String sourceIp, long failingMessages, int sendingDays) {}

    /** A sender whose mail receivers actually quarantined or rejected while such a policy was published. */
    public record Replay(String policyDomain, String sourceIp, String publishedPolicy, long quarantined, long rejected,
                         SortedMap<LocalDate, Double> perDay) {}

    /** Share of the messages from receivers that follow RFC 7489 and so ignore {@code t=y}; 0 without messages. */
    public double rfc7489Share() {
        return messages == 0 ? 0 : (double) messagesRfc7489 / messages;
    }
}
