package org.dmarcq.analysis;

import java.time.LocalDate;
import java.util.List;

/**
 * Would MTA-STS {@code mode: enforce} have broken inbound mail to a policy domain? From the sessions
 * that failed while its policy was in testing mode (delivered anyway), grouped by cause.
 *
 * @param days UTC days with TLS reports for the domain's STS policy
 * @param testingSessions sessions reported under the policy in testing mode (a report that omits the
 *     policy strings counts as testing)
 * @param failedInTesting of them, the reports' failure totals
 * @param wouldFail sessions that enforce would not have delivered: the failures of every cause that
 *     blocks delivery, and failures the reports give no details for
 * @param verdict {@code safe}, {@code not safe}, {@code not enough data}, or {@code already enforced}
 * @param lastDay the last UTC day of reports for the domain
 * @param because the facts behind the verdict
 * @param policyCheck what a proposed policy file says, or null when none was given
 */
public record TlsEnforcement(String policyDomain, int days, List<String> reporters, long testingSessions,
                             long failedInTesting, long wouldFail, List<Cause> causes, String verdict,
                             List<String> because, PolicyCheck policyCheck, LocalDate lastDay) {

    /** The verdict as a sentence. */
    public String sentence() {
        return switch (verdict) {
            case "safe" -> "switching MTA-STS to mode: enforce is safe";
            case "not safe" -> "switching MTA-STS to mode: enforce is not safe";
            case "already enforced" -> "MTA-STS is already in mode: enforce";
            default -> "there is not enough data yet to say whether MTA-STS mode: enforce is safe";
        };
    }

    /**
     * Failed sessions of one cause.
     *
     * @param cause {@code mx-not-in-policy}, {@code certificate-host-mismatch}, {@code certificate-expired},
     *     {@code certificate-not-trusted}, {@code starttls-not-supported}, {@code validation-failure},
     *     {@code policy-fetch-error}, {@code no-details}, or {@code other}
     * @param blocksDelivery whether enforce would keep such a session's mail from being delivered (a
     *     policy fetch error does not: a sender without the policy does not apply it)
     * @param sessions failed sessions (failure details may count a session under several result types)
     * @param failureReasonCodes the reporters' reason codes, e.g. {@code X509_V_ERR_...}
     * @param firstDay the first UTC day a report shows it, null for {@code no-details}
     * @param lastDay the last: a cause not seen for a while may be fixed already
     * @param resolved whether it stopped well before the end of the data ({@code resolvedAfterDays}
     *     before the last day of reports): shown, but it does not make the verdict not safe
     */
    public record Cause(String cause, String label, boolean blocksDelivery, long sessions, List<String> resultTypes,
                        List<String> mxHosts, List<String> sendingMtas, List<String> reporters,
                        List<String> failureReasonCodes, LocalDate firstDay, LocalDate lastDay, String fix, boolean resolved) {}

    /**
     * A proposed policy file checked against what the reports show.
     *
     * @param mxSeen MX hosts in the reports: receiving MX hosts of failures, and the host names (not
     *     wildcards) of the policies reporters applied
     * @param unmatched those of them the proposed {@code mx:} patterns would not match
     */
    public record PolicyCheck(String mode, List<String> mx, Long maxAge, List<String> problems, List<String> mxSeen,
                              List<String> unmatched) {}
}
