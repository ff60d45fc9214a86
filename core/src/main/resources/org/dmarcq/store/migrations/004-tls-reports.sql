-- dmarcq schema version 4: SMTP TLS reports (RFC 8460), stored beside the DMARC reports.
-- Documented in docs/schema.md.

CREATE TABLE tls_reports (
    tls_report_key       BIGINT PRIMARY KEY,
    org_name             VARCHAR NOT NULL,
    contact_info         VARCHAR,
    report_id            VARCHAR NOT NULL,
    begin_time           TIMESTAMP NOT NULL,
    end_time             TIMESTAMP NOT NULL,
    policy_count         INTEGER NOT NULL,
    successful_sessions  BIGINT NOT NULL,
    failed_sessions      BIGINT NOT NULL,
    source_file          VARCHAR NOT NULL,
    ingested_at          TIMESTAMP NOT NULL,
    dedupe_key           BIGINT NOT NULL
);

CREATE TABLE tls_policies (
    tls_report_key       BIGINT NOT NULL,
    policy_index         INTEGER NOT NULL,
    policy_type          VARCHAR,
    policy_domain        VARCHAR,
    policy_strings       VARCHAR[],
    sts_mode             VARCHAR,
    mx_hosts             VARCHAR[],
    successful_sessions  BIGINT NOT NULL,
    failed_sessions      BIGINT NOT NULL,
    detail_sessions      BIGINT NOT NULL,
    details_mismatch     BOOLEAN NOT NULL
);

CREATE TABLE tls_failures (
    tls_report_key         BIGINT NOT NULL,
    policy_index           INTEGER NOT NULL,
    result_type            VARCHAR,
    sending_mta_ip         VARCHAR,
    receiving_mx_hostname  VARCHAR,
    receiving_mx_helo      VARCHAR,
    receiving_ip           VARCHAR,
    failed_sessions        BIGINT NOT NULL,
    additional_information VARCHAR,
    failure_reason_code    VARCHAR
);

CREATE TABLE tls_warnings (
    tls_report_key  BIGINT NOT NULL,
    location        VARCHAR NOT NULL,
    message         VARCHAR NOT NULL
);

-- One row per policy block with its report's reporter and period: what the tls commands count.
CREATE VIEW tls_sessions AS
SELECT p.tls_report_key, p.policy_index, r.org_name AS reporter, r.begin_time, r.end_time,
       p.policy_type, p.policy_domain, p.sts_mode, p.mx_hosts,
       p.successful_sessions, p.failed_sessions, p.detail_sessions, p.details_mismatch
FROM tls_policies p JOIN tls_reports r USING (tls_report_key);

-- One row per failure detail with its policy and report.
CREATE VIEW tls_failure_details AS
SELECT f.*, s.reporter, s.begin_time, s.end_time, s.policy_type, s.policy_domain, s.sts_mode, s.mx_hosts
FROM tls_failures f JOIN tls_sessions s USING (tls_report_key, policy_index);
