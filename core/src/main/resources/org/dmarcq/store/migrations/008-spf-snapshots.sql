-- dmarcq schema version 8: SPF records and the DNS answers their evaluation needs, fetched as
-- snapshots, so that a run without network evaluates against the last one and two snapshots can
-- be compared. Documented in docs/schema.md.

CREATE SEQUENCE spf_snapshot_ids START 1;

CREATE TABLE spf_snapshots (
    snapshot_id  BIGINT PRIMARY KEY,
    taken_at     TIMESTAMP NOT NULL,
    dns_server   VARCHAR NOT NULL
);

CREATE TABLE spf_snapshot_domains (
    snapshot_id  BIGINT NOT NULL,
    domain       VARCHAR NOT NULL,
    record       VARCHAR,
    verdict      VARCHAR NOT NULL,
    lookups      INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, domain)
);

CREATE TABLE spf_dns_answers (
    snapshot_id  BIGINT NOT NULL,
    name         VARCHAR NOT NULL,
    type         VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,
    position     INTEGER NOT NULL,
    value        VARCHAR,
    error        VARCHAR
);
