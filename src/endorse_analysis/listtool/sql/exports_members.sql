-- The people export (export_people: the mapped columns as trimmed text, rowid = record)
-- staged as the list tool's members (sql/contract.sql). With a status column, only a
-- status that means opted out gives an opt-out, and it needs its time; without a column
-- of that time (export_opt_time false), such a member is off the list since sign-up. A
-- file with no sign-up column has one sign-up time for all (export_everyone). With a ZIP
-- column and no district column, the district comes from people_zip.
CREATE OR REPLACE TEMP MACRO export_signed_up(text) AS
    coalesce(getvariable('export_everyone'),
             export_time(text, getvariable('people_format')));

CREATE OR REPLACE TEMP VIEW src_members AS
SELECT p.rowid AS record,
       p.member_id,
       p.state,
       CASE WHEN getvariable('export_zip') THEN z.district ELSE p.district END AS district_text,
       export_signed_up(p.signed_up_at) AS signed_up_at,
       CASE WHEN p.status IS NULL AND p.opted_out_at IS NULL THEN NULL
            WHEN p.status IS NOT NULL AND NOT export_opted_out(p.status) THEN NULL
            WHEN NOT getvariable('export_opt_time') THEN export_signed_up(p.signed_up_at)
            ELSE export_time(p.opted_out_at, getvariable('people_format')) END AS opted_out_at,
       CASE WHEN NOT getvariable('export_opt_time') THEN NULL
            WHEN p.status IS NOT NULL AND export_opted_out(p.status) AND p.opted_out_at IS NULL
                THEN 'is empty, yet the status says the member opted out (member id shown)'
            WHEN (p.status IS NULL OR export_opted_out(p.status)) AND p.opted_out_at IS NOT NULL
                 AND export_time(p.opted_out_at, getvariable('people_format')) IS NULL
                THEN 'is not a timestamp (member id shown)'
       END AS opt_out_problem
FROM export_people p
LEFT JOIN people_zip z ON z.record = p.rowid;

-- How many members a status put off the list since sign-up (no time of the change).
CREATE OR REPLACE TEMP MACRO opted_out_since_signup() AS TABLE
SELECT count(*) FROM export_people
WHERE NOT getvariable('export_opt_time') AND status IS NOT NULL AND export_opted_out(status);
