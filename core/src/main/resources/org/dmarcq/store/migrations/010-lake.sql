-- dmarcq schema version 10: what dmarcq export --parquet wrote into which lake. A row per report
-- (kind 'dmarc', the key of reports; kind 'tls', of tls_reports) and lake, written in one
-- transaction once the run's files are complete and before any of them is visible in the lake, so
-- that a re-run exports only what no run has. Documented in docs/schema.md.

CREATE TABLE lake_exports (
    lake_id      VARCHAR NOT NULL,
    run_id       VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    report_key   BIGINT NOT NULL,
    exported_at  TIMESTAMP NOT NULL
);
