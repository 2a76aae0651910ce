-- How an export's text becomes the contract's values. A time is read with its file's
-- strptime format (`fmt`: variable people_format or responses_format) in the export's time
-- zone (export_tz), or, without a format, as the contract's timestamps are (parse_ts, in
-- the session's time zone).
CREATE OR REPLACE TEMP MACRO export_time(text, fmt) AS
    CASE WHEN fmt IS NULL THEN parse_ts(text)
         ELSE timezone('UTC', timezone(getvariable('export_tz'), try_strptime(text, fmt)))
    END;
-- A status that means the person opted out (variable export_opted_out, lower case).
CREATE OR REPLACE TEMP MACRO export_opted_out(status) AS
    list_contains(getvariable('export_opted_out'), lower(status));
-- A ZIP code as its ZCTA's five digits: trimmed, ZIP+4 cut to its first five, a ZIP that
-- lost its leading zeros padded back (3 or 4 digits). Anything else is NULL.
CREATE OR REPLACE TEMP MACRO zip5(text) AS
    CASE WHEN regexp_full_match(trim(text), '[0-9]{5}([- ]?[0-9]{4})?') THEN left(trim(text), 5)
         WHEN regexp_full_match(trim(text), '[0-9]{3,4}') THEN lpad(trim(text), 5, '0')
    END;
