-- dmarcq schema version 1. Documented column by column in docs/schema.md.
-- Times are TIMESTAMP in UTC. Keys are assigned by dmarcq, in ingest order.

CREATE TABLE reports (
    report_key          BIGINT PRIMARY KEY,
    org_name            VARCHAR NOT NULL,
    email               VARCHAR,
    extra_contact_info  VARCHAR,
    report_id           VARCHAR NOT NULL,
    begin_time          TIMESTAMP NOT NULL,
    end_time            TIMESTAMP NOT NULL,
    policy_domain       VARCHAR NOT NULL,
    adkim               VARCHAR,
    aspf                VARCHAR,
    p                   VARCHAR,
    sp                  VARCHAR,
    np                  VARCHAR,
    pct                 BIGINT,
    fo                  VARCHAR,
    testing             VARCHAR,
    discovery_method    VARCHAR,
    format              VARCHAR NOT NULL,
    version             VARCHAR,
    xml_namespace       VARCHAR,
    generator           VARCHAR,
    record_count        BIGINT NOT NULL,
    message_count       BIGINT NOT NULL,
    skipped_records     BIGINT NOT NULL,
    source_file         VARCHAR NOT NULL,
    ingested_at         TIMESTAMP NOT NULL,
    dedupe_key          BIGINT NOT NULL
);

CREATE TABLE report_errors (
    report_key  BIGINT NOT NULL,
    message     VARCHAR NOT NULL
);

CREATE TABLE records (
    record_key     BIGINT NOT NULL,
    report_key     BIGINT NOT NULL,
    record_index   INTEGER NOT NULL,
    source_ip      VARCHAR NOT NULL,
    count          BIGINT NOT NULL,
    disposition    VARCHAR,
    policy_dkim    VARCHAR,
    policy_spf     VARCHAR,
    header_from    VARCHAR,
    envelope_from  VARCHAR,
    envelope_to    VARCHAR
);

CREATE TABLE override_reasons (
    record_key  BIGINT NOT NULL,
    type        VARCHAR,
    comment     VARCHAR
);

CREATE TABLE dkim_results (
    record_key    BIGINT NOT NULL,
    domain        VARCHAR,
    selector      VARCHAR,
    result        VARCHAR,
    human_result  VARCHAR
);

CREATE TABLE spf_results (
    record_key    BIGINT NOT NULL,
    domain        VARCHAR,
    scope         VARCHAR,
    result        VARCHAR,
    human_result  VARCHAR
);

CREATE TABLE warnings (
    report_key  BIGINT NOT NULL,
    location    VARCHAR NOT NULL,
    message     VARCHAR NOT NULL
);
