package org.dmarcq.analysis;

import java.time.Instant;

/**
 * One policy domain: how much it was reported on, how much of its mail passed DMARC at the
 * receivers, and its policy as published in the latest report.
 *
 * @param passRate DMARC pass share of messages by the receivers' verdicts, 0 to 1; null without messages
 * @param p the published policy in the latest report; {@code sp}, {@code np}, {@code pct} and
 *     {@code testing} likewise, null where that report did not give them
 * @param disagreements records on which the receivers' verdict and dmarcq's recomputation differ
 */
public record DomainSummary(String policyDomain, long reports, long reporters, Instant firstSeen, Instant lastSeen,
                            long messages, long dmarcPass, long dmarcFail, Double passRate,
                            String p, String sp, String np, Long pct, String testing, String adkim, String aspf,
                            long disagreements) {}
