package org.dmarcq.analysis;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a {@link Proposal} would do in a {@link Scope}: the headline, one row per affected sender
 * (most affected messages first), and the replay of periods in which the reports show quarantine or
 * reject was already published.
 *
 * @param days UTC days with report data in the scope
 */
public record WhatIfResult(Proposal proposal, Scope scope, long messages, long failingMessages, double quarantined,
                           double rejected, Map<SenderClass, Double> byClass, int days, List<AffectedSender> senders,
                           List<Replay> replay) {

    /** A sender whose mail receivers actually quarantined or rejected while such a policy was published. */
    public record Replay(String policyDomain, String sourceIp, String publishedPolicy, long quarantined, long rejected,
                         SortedMap<LocalDate, Double> perDay) {}
}
