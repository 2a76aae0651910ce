-- Parsers for the value kinds of contract §2, as DuckDB macros used by the loader.
-- Each returns NULL when the text does not parse; the loader turns that into a problem.
-- The shape of a value is tested by one regular expression; DuckDB's own cast then checks
-- the calendar (a translate()-based shape test measured slower on DuckDB 2.0).

-- Surrounding spaces are trimmed; an empty value is NULL.
CREATE OR REPLACE TEMP MACRO clean(v) AS nullif(trim(v), '');

-- Integer: [+-]?[0-9]+ within 64 bits (7.0, 1e1, 0x10 and 1_000 are not integers).
CREATE OR REPLACE TEMP MACRO parse_int(v) AS
    CASE WHEN regexp_full_match(v, '[+-]?[0-9]+') THEN TRY_CAST(v AS BIGINT) END;

-- Boolean: true/false, yes/no, 1/0, t/f in any case. Empty is false (handled by the loader).
CREATE OR REPLACE TEMP MACRO parse_bool(v) AS
    CASE WHEN lower(v) IN ('true', 'yes', '1', 't') THEN true
         WHEN lower(v) IN ('false', 'no', '0', 'f') THEN false END;

-- Timestamp: YYYY-MM-DD, or YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]] optionally followed by Z or
-- ±HH:MM. Text without an offset is read in the session's time zone (UTC unless the load
-- names another). Hours, minutes, seconds and offsets are range-checked here because
-- DuckDB's cast would accept 24:00 or +25:00. The result is UTC.
CREATE OR REPLACE TEMP MACRO ts_in_range(v) AS
    (length(v) = 10 OR (substr(v, 12, 2) <= '23' AND substr(v, 15, 2) <= '59'
                        AND (substr(v, 17, 1) <> ':' OR substr(v, 18, 2) <= '59')))
    AND (substr(v, -6, 1) NOT IN ('+', '-') OR length(v) = 10
         OR (substr(v, -5, 2) <= '23' AND substr(v, -2, 2) <= '59'));
CREATE OR REPLACE TEMP MACRO parse_ts(v) AS
    CASE WHEN regexp_full_match(v, '[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?')
              AND ts_in_range(v)
         THEN timezone('UTC', TRY_CAST(v AS TIMESTAMPTZ)) END;
