-- dmarcq schema version 2: DMARC evaluation. Documented in docs/schema.md.
-- The alignment rules live here, once: in these views, over the organizational domains that
-- dmarcq computes from the Public Suffix List into the domains table.

CREATE TABLE domains (
    name                   VARCHAR PRIMARY KEY,
    ascii_name             VARCHAR,
    organizational_domain  VARCHAR
);

CREATE TABLE settings (
    name   VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);

-- RFC 7489 section 3.1: a passing identifier aligns with the author domain (header_from) in strict
-- mode when it is the same name, in relaxed mode also when it has the same organizational domain.
-- identifier and author are rows of domains.
CREATE MACRO aligned_strict(result, identifier, author) AS
    coalesce(result = 'pass' AND identifier.ascii_name = author.ascii_name, false);

CREATE MACRO aligned_relaxed(result, identifier, author) AS
    coalesce(result = 'pass' AND (identifier.ascii_name = author.ascii_name
             OR identifier.organizational_domain = author.organizational_domain), false);

-- One row per DKIM result: did it pass, and does its d= align with the record's header_from?
CREATE VIEW dkim_alignments AS
SELECT d.record_key,
       d.domain,
       d.selector,
       d.result,
       coalesce(d.result = 'pass', false) AS passed,
       aligned_strict(d.result, sd, hd) AS aligned_strict,
       aligned_relaxed(d.result, sd, hd) AS aligned_relaxed,
       -- signed by the author's own organization, whatever the result: a failing one was often
       -- broken in transit (a mailing list, a forwarder that changes the message)
       coalesce(sd.organizational_domain = hd.organizational_domain OR sd.ascii_name = hd.ascii_name, false)
           AS author_signature
FROM dkim_results d
JOIN records r ON r.record_key = d.record_key
LEFT JOIN domains sd ON sd.name = d.domain
LEFT JOIN domains hd ON hd.name = r.header_from;

-- One row per SPF result: did it pass, does its domain align, and is it the identity DMARC uses
-- (MAIL FROM; the HELO identity only when no MAIL FROM result is reported: a null reverse-path).
CREATE VIEW spf_alignments AS
SELECT s.record_key,
       s.domain,
       s.scope,
       s.result,
       coalesce(s.result = 'pass', false) AS passed,
       aligned_strict(s.result, sd, hd) AS aligned_strict,
       aligned_relaxed(s.result, sd, hd) AS aligned_relaxed,
       s.scope IS DISTINCT FROM 'helo'
           OR count(*) FILTER (WHERE s.scope IS DISTINCT FROM 'helo') OVER (PARTITION BY s.record_key) = 0
           AS used_for_dmarc
FROM spf_results s
JOIN records r ON r.record_key = s.record_key
LEFT JOIN domains sd ON sd.name = s.domain
LEFT JOIN domains hd ON hd.name = r.header_from;

-- One row per record: the receiver's verdict and dmarcq's recomputation side by side, under the
-- published alignment modes and under strict and relaxed, and the main reason for a failure.
CREATE VIEW record_verdicts AS
WITH dkim AS (
    SELECT record_key,
           count(*) AS signatures,
           bool_or(author_signature AND NOT passed) AS author_signature_failed,
           bool_or(passed) AS passed,
           bool_or(aligned_strict) AS aligned_strict,
           bool_or(aligned_relaxed) AS aligned_relaxed
    FROM dkim_alignments
    GROUP BY record_key
), spf AS (
    SELECT record_key,
           bool_or(passed) AS passed,
           bool_or(result IN ('fail', 'softfail')) AS failed,
           bool_or(aligned_strict) AS aligned_strict,
           bool_or(aligned_relaxed) AS aligned_relaxed,
           string_agg(DISTINCT domain, ',' ORDER BY domain) AS domains
    FROM spf_alignments
    WHERE used_for_dmarc
    GROUP BY record_key
), overrides AS (
    SELECT record_key,
           arg_min(type, CASE type
               WHEN 'forwarded' THEN 1 WHEN 'mailing_list' THEN 2 WHEN 'trusted_forwarder' THEN 3
               WHEN 'local_policy' THEN 4 WHEN 'sampled_out' THEN 5 WHEN 'policy_test_mode' THEN 6
               WHEN 'other' THEN 7 ELSE 8 END) AS type
    FROM override_reasons
    WHERE type IS NOT NULL
    GROUP BY record_key
), evaluated AS (
    SELECT r.record_key,
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
           spf.domains AS spf_domains,
           coalesce(p.adkim, 'r') AS adkim,
           coalesce(p.aspf, 'r') AS aspf,
           r.policy_dkim AS receiver_dkim,
           r.policy_spf AS receiver_spf,
           CASE WHEN r.policy_dkim = 'pass' OR r.policy_spf = 'pass' THEN 'pass'
                WHEN r.policy_dkim IS NULL AND r.policy_spf IS NULL THEN NULL
                ELSE 'fail' END AS receiver_dmarc,
           coalesce(dkim.signatures, 0) AS dkim_signatures,
           coalesce(dkim.author_signature_failed, false) AS dkim_author_signature_failed,
           coalesce(dkim.passed, false) AS dkim_passed,
           coalesce(spf.passed, false) AS spf_passed,
           coalesce(spf.failed, false) AS spf_failed,
           coalesce(dkim.aligned_strict, false) AS dkim_aligned_strict,
           coalesce(dkim.aligned_relaxed, false) AS dkim_aligned_relaxed,
           coalesce(spf.aligned_strict, false) AS spf_aligned_strict,
           coalesce(spf.aligned_relaxed, false) AS spf_aligned_relaxed,
           overrides.type AS override
    FROM records r
    JOIN reports p ON p.report_key = r.report_key
    LEFT JOIN dkim ON dkim.record_key = r.record_key
    LEFT JOIN spf ON spf.record_key = r.record_key
    LEFT JOIN overrides ON overrides.record_key = r.record_key
), aligned AS (
    SELECT *,
           CASE WHEN adkim = 's' THEN dkim_aligned_strict ELSE dkim_aligned_relaxed END AS dkim_aligned,
           CASE WHEN aspf = 's' THEN spf_aligned_strict ELSE spf_aligned_relaxed END AS spf_aligned
    FROM evaluated
)
SELECT *,
       CASE WHEN dkim_aligned OR spf_aligned THEN 'pass' ELSE 'fail' END AS dmarc,
       CASE WHEN dkim_aligned_strict OR spf_aligned_strict THEN 'pass' ELSE 'fail' END AS dmarc_strict,
       CASE WHEN dkim_aligned_relaxed OR spf_aligned_relaxed THEN 'pass' ELSE 'fail' END AS dmarc_relaxed,
       coalesce((receiver_dkim = 'pass') <> dkim_aligned, false)
           OR coalesce((receiver_spf = 'pass') <> spf_aligned, false) AS disagrees,
       CASE WHEN (dkim_aligned OR spf_aligned) AND receiver_dmarc IS DISTINCT FROM 'fail' THEN NULL
            WHEN override IS NOT NULL THEN override
            WHEN dkim_aligned OR spf_aligned THEN 'receiver-fail'
            WHEN dkim_passed THEN 'dkim-third-party'
            WHEN dkim_signatures > 0 THEN 'dkim-fail'
            WHEN spf_passed THEN 'spf-not-aligned'
            WHEN spf_failed THEN 'spf-fail'
            ELSE 'no-auth' END AS reason
FROM aligned;

-- One row per report and UTC day its period touches, with the share of the period on that day, so
-- that per-day figures spread a multi-day report pro rata by time (totals use the records as they are).
CREATE VIEW report_days AS
WITH periods AS (
    -- An end written inclusively (whole days less a second, as Google does) ends a second later.
    SELECT report_key, begin_time,
           CASE WHEN (epoch(end_time) - epoch(begin_time) + 1) % 86400 = 0 THEN end_time + INTERVAL 1 SECOND
                ELSE end_time END AS end_time
    FROM reports
), spans AS (
    SELECT report_key, begin_time, end_time, epoch(end_time) - epoch(begin_time) AS seconds
    FROM periods
), days AS (
    SELECT report_key, begin_time, end_time, seconds,
           unnest(generate_series(date_trunc('day', begin_time), date_trunc('day', end_time), INTERVAL 1 DAY)) AS day
    FROM spans
)
SELECT report_key,
       day::DATE AS day,
       CASE WHEN seconds = 0 THEN 1.0
            ELSE (epoch(least(end_time, day + INTERVAL 1 DAY)) - epoch(greatest(begin_time, day))) / seconds
       END AS share
FROM days
WHERE seconds = 0 OR least(end_time, day + INTERVAL 1 DAY) > greatest(begin_time, day);
