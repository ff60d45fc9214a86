-- dmarcq schema version 9: what dmarcq fetch read from mailboxes. A checkpoint per folder lets the
-- next run read only new mail; a row per message says what became of it. Both are written in the
-- same transaction as the reports the messages held. Documented in docs/schema.md.

CREATE TABLE fetch_checkpoints (
    mailbox       VARCHAR NOT NULL,
    folder        VARCHAR NOT NULL,
    uid_validity  BIGINT NOT NULL,
    last_uid      BIGINT NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (mailbox, folder)
);

CREATE TABLE fetch_messages (
    mailbox       VARCHAR NOT NULL,
    folder        VARCHAR NOT NULL,
    uid_validity  BIGINT NOT NULL,
    uid           BIGINT NOT NULL,
    message_id    VARCHAR,
    subject       VARCHAR,
    size          BIGINT,
    outcome       VARCHAR NOT NULL,
    reports       INTEGER NOT NULL,
    tls_reports   INTEGER NOT NULL,
    duplicates    INTEGER NOT NULL,
    error         VARCHAR,
    fetched_at    TIMESTAMP NOT NULL,
    disposition   VARCHAR NOT NULL,
    disposed      BOOLEAN NOT NULL,
    PRIMARY KEY (mailbox, folder, uid_validity, uid)
);
