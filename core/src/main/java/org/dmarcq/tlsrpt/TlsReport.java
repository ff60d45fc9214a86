package org.dmarcq.tlsrpt;

import java.time.Instant;
import java.util.List;
import org.dmarcq.report.ReportWarning;

/**
 * One SMTP TLS report (RFC 8460) as read, normalised: domain names lowercase without a trailing
 * dot, addresses canonical, result types lowercase. What was tolerated is in {@link #warnings}.
 */
public record TlsReport(String orgName, String contactInfo, String reportId, Instant begin, Instant end,
                        List<Policy> policies, List<ReportWarning> warnings) {

    /**
     * One applied policy and its sessions.
     *
     * @param policyType {@code sts}, {@code tlsa}, {@code no-policy-found}, or another word as written
     * @param stsMode the {@code mode:} line of an STS policy's strings ({@code testing}, {@code enforce}, {@code none}), or null
     * @param detailSessions the failure details' session counts added up
     * @param detailsMismatch whether they differ from {@code failedSessions} (result types are not
     *     exclusive, so more is possible; fewer means details are missing)
     */
    public record Policy(int index, String policyType, String policyDomain, List<String> policyStrings, String stsMode,
                         List<String> mxHosts, long successfulSessions, long failedSessions, long detailSessions,
                         boolean detailsMismatch, List<Failure> failures) {}

    /** One {@code failure-details} entry. */
    public record Failure(String resultType, String sendingMtaIp, String receivingMxHostname, String receivingMxHelo,
                          String receivingIp, long failedSessions, String additionalInformation, String failureReasonCode) {}

    public long successfulSessions() {
        return policies.stream().mapToLong(Policy::successfulSessions).sum();
    }

    public long failedSessions() {
        return policies.stream().mapToLong(Policy::failedSessions).sum();
    }
}
