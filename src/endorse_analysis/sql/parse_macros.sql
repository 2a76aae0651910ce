-- Parsers for the value kinds of contract §2, as DuckDB macros used by the loader.
-- Each returns NULL when the text does not parse; the loader turns that into a problem.

-- Surrounding spaces are trimmed; an empty value is NULL.
CREATE OR REPLACE TEMP MACRO clean(v) AS nullif(trim(v, ' ' || chr(9)), '');

-- Integer: [+-]?[0-9]+ within 64 bits (7.0 and 1e1 are not integers).
CREATE OR REPLACE TEMP MACRO parse_int(v) AS
    CASE WHEN regexp_full_match(v, '[+-]?[0-9]+') THEN TRY_CAST(v AS BIGINT) END;

-- Boolean: true/false, yes/no, 1/0, t/f in any case. Empty is handled by the caller (false).
CREATE OR REPLACE TEMP MACRO parse_bool(v) AS
    CASE WHEN lower(v) IN ('true', 'yes', '1', 't') THEN true
         WHEN lower(v) IN ('false', 'no', '0', 'f') THEN false END;

-- Timestamp, in two steps so that the regular expression runs once per value:
-- ts_parts splits the text, ts_from_parts checks the ranges and converts to UTC.
CREATE OR REPLACE TEMP MACRO ts_parts(v) AS regexp_extract(
    v,
    '^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(\.[0-9]{1,6})?)?)?(Z|[+-][0-9]{2}:[0-9]{2})?$',
    ['y', 'mo', 'd', 'h', 'mi', 's', 'f', 'z']);

CREATE OR REPLACE TEMP MACRO ts_from_parts(p) AS
    CASE
        WHEN p.y = '' THEN NULL
        WHEN p.h > '23' OR p.mi > '59' OR p.s > '59' THEN NULL
        WHEN length(p.z) = 6 AND (p.z[2:3] > '23' OR p.z[5:6] > '59') THEN NULL
        ELSE TRY_CAST(p.y || '-' || p.mo || '-' || p.d || ' '
                      || coalesce(nullif(p.h, ''), '00') || ':'
                      || coalesce(nullif(p.mi, ''), '00') || ':'
                      || coalesce(nullif(p.s, ''), '00') || p.f AS TIMESTAMP)
             - CASE WHEN length(p.z) = 6
                    THEN (CASE WHEN p.z[1] = '-' THEN -1 ELSE 1 END)
                         * (CAST(p.z[2:3] AS INTEGER) * 60 + CAST(p.z[5:6] AS INTEGER))
                         * INTERVAL 1 MINUTE
                    ELSE INTERVAL 0 MINUTE END
    END;
