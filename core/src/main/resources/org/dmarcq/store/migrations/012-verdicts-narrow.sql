-- dmarcq schema version 12: the table of verdicts keeps only what evaluate_records computes, and
-- record_verdicts becomes a view that adds the record's and its report's own columns to it, the same
-- columns in the same order as before. Writing the copies of source_ip, header_from, envelope_from,
-- policy_domain and the reporter for every record was about half of what storing the verdicts cost
-- an ingest, and made the table the largest in the file. The rules are unchanged (evaluate_records of
-- version 11). Documented in docs/schema.md.

CREATE TABLE verdicts (
    record_key BIGINT NOT NULL,
    spf_domains VARCHAR,
    adkim VARCHAR,
    aspf VARCHAR,
    receiver_dmarc VARCHAR,
    dkim_signatures BIGINT,
    dkim_author_signature_failed BOOLEAN,
    dkim_passed BOOLEAN,
    spf_passed BOOLEAN,
    spf_failed BOOLEAN,
    dkim_aligned_strict BOOLEAN,
    dkim_aligned_relaxed BOOLEAN,
    spf_aligned_strict BOOLEAN,
    spf_aligned_relaxed BOOLEAN,
    override VARCHAR,
    dkim_aligned BOOLEAN,
    spf_aligned BOOLEAN,
    dmarc VARCHAR,
    dmarc_strict VARCHAR,
    dmarc_relaxed VARCHAR,
    disagrees BOOLEAN,
    reason VARCHAR
);

INSERT INTO verdicts
    SELECT record_key, spf_domains, adkim, aspf, receiver_dmarc, dkim_signatures, dkim_author_signature_failed,
           dkim_passed, spf_passed, spf_failed, dkim_aligned_strict, dkim_aligned_relaxed, spf_aligned_strict,
           spf_aligned_relaxed, override, dkim_aligned, spf_aligned, dmarc, dmarc_strict, dmarc_relaxed, disagrees, reason
    FROM record_verdicts ORDER BY record_key;

DROP TABLE record_verdicts;

CREATE VIEW record_verdicts AS
    SELECT v.record_key,
           r.report_key,
           p.policy_domain,
           p.org_name AS reporter,
           p.begin_time,
           p.end_time,
           r.source_ip,
           r.count,
           r.disposition,
           r.header_from,
           r.envelope_from,
           v.spf_domains,
           v.adkim,
           v.aspf,
           r.policy_dkim AS receiver_dkim,
           r.policy_spf AS receiver_spf,
           v.receiver_dmarc,
           v.dkim_signatures,
           v.dkim_author_signature_failed,
           v.dkim_passed,
           v.spf_passed,
           v.spf_failed,
           v.dkim_aligned_strict,
           v.dkim_aligned_relaxed,
           v.spf_aligned_strict,
           v.spf_aligned_relaxed,
           v.override,
           v.dkim_aligned,
           v.spf_aligned,
           v.dmarc,
           v.dmarc_strict,
           v.dmarc_relaxed,
           v.disagrees,
           v.reason
    FROM verdicts v
    JOIN records r ON r.record_key = v.record_key
    JOIN reports p ON p.report_key = r.report_key;
