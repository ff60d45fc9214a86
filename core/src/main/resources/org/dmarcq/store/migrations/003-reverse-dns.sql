-- dmarcq schema version 3: reverse DNS of source addresses, looked up when names are shown and
-- kept, so that a second run does no lookups. Documented in docs/schema.md.

CREATE TABLE reverse_dns (
    ip            VARCHAR PRIMARY KEY,
    ptr           VARCHAR,
    confirmed     BOOLEAN NOT NULL,
    error         VARCHAR,
    looked_up_at  TIMESTAMP NOT NULL
);
