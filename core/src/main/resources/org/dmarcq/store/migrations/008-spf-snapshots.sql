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
    ranges_only  BOOLEAN NOT NULL,
    PRIMARY KEY (snapshot_id, domain)
);

-- The ranges a record that is address ranges alone stands for (ranges_only above), each with the
-- top-level term it comes from: what the questions join every address to, without evaluating.
CREATE TABLE spf_snapshot_ranges (
    snapshot_id  BIGINT NOT NULL,
    domain       VARCHAR NOT NULL,
    position     INTEGER NOT NULL,
    term         VARCHAR NOT NULL,
    own          BOOLEAN NOT NULL,
    lo           VARCHAR NOT NULL,
    hi           VARCHAR NOT NULL
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
