package org.dmarcq.report;

/**
 * Everything a report says before its records: who reported which period, and the policy the
 * receiver found. {@code format} is {@code rfc9990} when the document uses the DMARCbis namespace
 * or any element only RFC 9990 defines, otherwise {@code rfc7489}.
 */
public record ReportHeader(
        ReportMetadata metadata,
        PolicyPublished policy,
        String version,
        String xmlNamespace,
        String format) {

    public String orgName() { return metadata.orgName(); }
    public String reportId() { return metadata.reportId(); }
    public String policyDomain() { return policy.domain(); }
    public DateRange dateRange() { return metadata.dateRange(); }
}
