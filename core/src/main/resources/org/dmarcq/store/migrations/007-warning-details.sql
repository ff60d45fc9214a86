-- dmarcq schema version 7: warnings of a kind share one message; implausible periods have no days. Documented in docs/schema.md.
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

-- Reports whose period lies outside 2000 to the end of next year are stored with a warning (the
-- reader says so) and left out of every per-day count: report_days gives them no days.
CREATE MACRO plausible_day(d) AS d >= DATE '2000-01-01' AND d < make_date(year(current_date) + 2, 1, 1);

ALTER VIEW report_days RENAME TO report_days_all;
CREATE VIEW report_days AS
SELECT d.report_key, d.day, d.share
FROM report_days_all d JOIN reports p ON p.report_key = d.report_key
WHERE plausible_day(p.begin_time::DATE) AND plausible_day(p.end_time::DATE);
