-- How an export's text becomes the contract's values. A time is read with the export's
-- strptime format (variable export_format) in its time zone (export_tz), or, without a
-- format, as the contract's timestamps are (parse_ts, in the session's time zone).
CREATE OR REPLACE TEMP MACRO export_time(text) AS
    CASE WHEN getvariable('export_format') IS NULL THEN parse_ts(text)
         ELSE timezone('UTC', timezone(getvariable('export_tz'),
                                       try_strptime(text, getvariable('export_format'))))
    END;
-- A status that means the person opted out (variable export_opted_out, lower case).
CREATE OR REPLACE TEMP MACRO export_opted_out(status) AS
    list_contains(getvariable('export_opted_out'), lower(status));
