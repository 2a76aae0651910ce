-- Parsers for the value kinds of docs/rules.md §2, as DuckDB macros used by the loader.
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
-- names another). Hours (00-23), minutes and seconds (00-59) and offsets (up to ±23:59)
-- are range-checked by the expression itself, because DuckDB's cast would accept 24:00 or
-- +25:00. The result is UTC, in the years 0001 to 9999: what every reader of a snapshot
-- can show (ISO 8601's four digits, Python's datetime); 9999-12-31T23:00:00-05:00 is in
-- the year 10000 in UTC.
CREATE OR REPLACE TEMP MACRO ts_shape(v) AS
    regexp_full_match(v, '[0-9]{4}-[0-9]{2}-[0-9]{2}([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?)?');
CREATE OR REPLACE TEMP MACRO ts_in_years(t) AS
    t BETWEEN TIMESTAMP '0001-01-01' AND TIMESTAMP '9999-12-31 23:59:59.999999';
-- The instant as a UTC TIMESTAMP, through its epoch microseconds: the same value as
-- timezone('UTC', ...), at a third of its cost.
CREATE OR REPLACE TEMP MACRO ts_utc(v) AS make_timestamp(epoch_us(TRY_CAST(v AS TIMESTAMPTZ)));
-- A date from 0001-01-02 to 9999-12-30 (compared as text: the shape fixes its positions)
-- is within the years at any offset (under a day): its instant is cast once, and the
-- years tested only near their ends.
CREATE OR REPLACE TEMP MACRO parse_ts(v) AS
    CASE WHEN ts_shape(v) THEN
        CASE WHEN v >= '0001-01-02' AND v < '9999-12-31' THEN ts_utc(v)
             WHEN ts_in_years(ts_utc(v)) THEN ts_utc(v) END
    END;

-- A text without an offset names a wall-clock time of the session's zone (the load's
-- --timezone). One the zone skips (clocks go forward) or passes twice (clocks go back)
-- names no single instant, and parse_local_ts refuses it. The zone's offsets are compared
-- 12 hours either side of the time: no zone changes its clocks twice within a day.
CREATE OR REPLACE TEMP MACRO ts_wall(v) AS
    CASE WHEN ts_shape(v) AND NOT (v LIKE '%Z' OR regexp_matches(v, '[+-][0-9]{2}:[0-9]{2}$'))
         THEN TRY_CAST(v AS TIMESTAMP) END;
CREATE OR REPLACE TEMP MACRO zone_offset(i) AS
    timezone(current_setting('TimeZone'), i) - timezone('UTC', i);
CREATE OR REPLACE TEMP MACRO wall_exists(w) AS
    timezone(current_setting('TimeZone'), timezone(current_setting('TimeZone'), w)) = w;
CREATE OR REPLACE TEMP MACRO wall_at(w, off) AS
    timezone(current_setting('TimeZone'), timezone('UTC', w - off)) = w;
CREATE OR REPLACE TEMP MACRO wall_twice(w) AS
    zone_offset(timezone(current_setting('TimeZone'), w) - INTERVAL 12 HOUR)
        <> zone_offset(timezone(current_setting('TimeZone'), w) + INTERVAL 12 HOUR)
    AND wall_at(w, zone_offset(timezone(current_setting('TimeZone'), w) - INTERVAL 12 HOUR))
    AND wall_at(w, zone_offset(timezone(current_setting('TimeZone'), w) + INTERVAL 12 HOUR));
CREATE OR REPLACE TEMP MACRO parse_local_ts(v) AS
    CASE WHEN ts_wall(v) IS NULL OR (wall_exists(ts_wall(v)) AND NOT wall_twice(ts_wall(v)))
         THEN parse_ts(v) END;

-- Why a text shaped like a timestamp was refused: 'years' (outside 0001 to 9999 in UTC),
-- 'skipped' or 'twice' (a local time the zone skips or passes twice); NULL otherwise.
CREATE OR REPLACE TEMP MACRO ts_trouble(v) AS
    CASE WHEN NOT ts_shape(v) OR ts_utc(v) IS NULL THEN NULL
         WHEN NOT ts_in_years(ts_utc(v)) THEN 'years'
         WHEN ts_wall(v) IS NOT NULL AND NOT wall_exists(ts_wall(v)) THEN 'skipped'
         WHEN ts_wall(v) IS NOT NULL AND wall_twice(ts_wall(v)) THEN 'twice' END;
