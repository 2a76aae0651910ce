-- The people export (export_people: the mapped columns as trimmed text, rowid = record)
-- staged as the list tool's members (sql/contract.sql). With a status column, only a
-- status that means opted out gives an opt-out, and it needs its time.
CREATE OR REPLACE TEMP VIEW src_members AS
SELECT rowid AS record,
       member_id,
       state,
       district AS district_text,
       export_time(signed_up_at) AS signed_up_at,
       CASE WHEN status IS NULL AND opted_out_at IS NULL THEN NULL
            WHEN status IS NOT NULL AND NOT export_opted_out(status) THEN NULL
            ELSE export_time(opted_out_at) END AS opted_out_at,
       CASE WHEN status IS NOT NULL AND export_opted_out(status) AND opted_out_at IS NULL
                THEN 'is empty, yet the status says the member opted out (member id shown)'
            WHEN (status IS NULL OR export_opted_out(status)) AND opted_out_at IS NOT NULL
                 AND export_time(opted_out_at) IS NULL
                THEN 'is not a timestamp (member id shown)'
       END AS opt_out_problem
FROM export_people;
