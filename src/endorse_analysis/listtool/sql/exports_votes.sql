-- The responses export (export_responses) staged as the list tool's votes: only the rows
-- on a page the program names. Without a vote id column, a response's id is its record
-- number in the file (1 for the first).
CREATE OR REPLACE TEMP VIEW src_votes AS
SELECT rowid AS record,
       coalesce(parse_int(vote_id), CASE WHEN vote_id IS NULL THEN rowid + 1 END) AS vote_id,
       vote_id AS vote_text,
       member_id,
       page,
       answer,
       CASE WHEN answer IS NULL THEN 0 ELSE 1 END AS answers,
       export_time(cast_at) AS cast_at,
       cast_at AS cast_text
FROM export_responses
WHERE page IN (SELECT page FROM pages);
