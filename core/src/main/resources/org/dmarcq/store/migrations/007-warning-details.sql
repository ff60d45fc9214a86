-- dmarcq schema version 7: warnings of a kind share one message. Documented in docs/schema.md.
-- The values of each warning (names, numbers, what was read) move out of message into detail,
-- and how many times it occurred into count, so that GROUP BY message counts kinds of warnings.
-- Warnings stored before this version keep their text in message (detail NULL); their count is
-- taken from the " (N times)" it ended with.

ALTER TABLE warnings ADD COLUMN detail VARCHAR;
ALTER TABLE warnings ADD COLUMN count BIGINT DEFAULT 1;
UPDATE warnings SET count = coalesce(TRY_CAST(regexp_extract(message, ' \(([0-9]+) times\)$', 1) AS BIGINT), 1),
                    message = regexp_replace(message, ' \([0-9]+ times\)$', '');
ALTER TABLE tls_warnings ADD COLUMN detail VARCHAR;
ALTER TABLE tls_warnings ADD COLUMN count BIGINT DEFAULT 1;
UPDATE tls_warnings SET count = 1;
