-- Parsers for the value kinds of contract §2, as DuckDB macros used by the loader.
-- Each returns NULL when the text does not parse; the loader turns that into a problem.
-- They test a value's shape with translate() (every digit becomes 9) instead of a regular
-- expression: exact, and several times faster on ten million values.

-- Surrounding spaces are trimmed; an empty value is NULL.
CREATE OR REPLACE TEMP MACRO clean(v) AS nullif(trim(v), '');

-- Integer: [+-]?[0-9]+ within 64 bits (7.0, 1e1, 0x10 and 1_000 are not integers).
CREATE OR REPLACE TEMP MACRO unsigned_text(v) AS CASE WHEN v[1] IN ('+', '-') THEN v[2:] ELSE v END;
CREATE OR REPLACE TEMP MACRO parse_int(v) AS
    CASE WHEN unsigned_text(v) <> '' AND translate(unsigned_text(v), '0123456789', '') = ''
         THEN TRY_CAST(v AS BIGINT) END;

-- Boolean: true/false, yes/no, 1/0, t/f in any case. Empty is false (handled by the loader).
CREATE OR REPLACE TEMP MACRO parse_bool(v) AS
    CASE WHEN lower(v) IN ('true', 'yes', '1', 't') THEN true
         WHEN lower(v) IN ('false', 'no', '0', 'f') THEN false END;

-- Timestamp: YYYY-MM-DD, or YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]] optionally followed by Z or
-- ±HH:MM. The loader defines timestamp_shape_ok(shape) from its list of the allowed shapes
-- (TIMESTAMP_SHAPES); DuckDB's own cast then
-- checks the calendar and applies the offset; text without an offset is read in the
-- session's time zone (UTC unless the load names another). The result is UTC.
CREATE OR REPLACE TEMP MACRO ts_in_range(v) AS
    (length(v) = 10 OR (substr(v, 12, 2) <= '23' AND substr(v, 15, 2) <= '59'
                        AND (substr(v, 17, 1) <> ':' OR substr(v, 18, 2) <= '59')))
    AND (substr(v, -6, 1) NOT IN ('+', '-') OR length(v) = 10
         OR (substr(v, -5, 2) <= '23' AND substr(v, -2, 2) <= '59'));
CREATE OR REPLACE TEMP MACRO parse_ts(v) AS
    CASE WHEN timestamp_shape_ok(translate(v, '0123456789', '9999999999'))
              AND ts_in_range(v)
         THEN timezone('UTC', TRY_CAST(v AS TIMESTAMPTZ)) END;
