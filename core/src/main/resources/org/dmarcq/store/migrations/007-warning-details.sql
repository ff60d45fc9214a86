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

CREATE OR REPLACE VIEW report_days AS
WITH periods AS (
    -- An end written inclusively (whole days less a second, as Google does) ends a second later.
    SELECT report_key, begin_time,
           CASE WHEN (epoch(end_time) - epoch(begin_time) + 1) % 86400 = 0 THEN end_time + INTERVAL 1 SECOND
                ELSE end_time END AS end_time
    FROM reports
    WHERE plausible_day(begin_time::DATE) AND plausible_day(end_time::DATE)
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
