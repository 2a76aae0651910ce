-- The responses export (export_responses) staged as the list tool's votes: only the rows
-- on a page the program names. Without a vote id column, a response's id is its record
-- number in the file (1 for the first), or, with a later-is-larger column (`tiebreak`: a
-- response id, a creation time), its rank by that column: equal times are then ordered
-- by it, as the load orders a member's votes by cast_at, then vote_id.
CREATE OR REPLACE TEMP MACRO tiebreak_int(text) AS parse_int(text);
-- A tiebreak time in the file's format, or as the contract writes one (DateCreated has a
-- time where Date Canvassed has none).
CREATE OR REPLACE TEMP MACRO tiebreak_time(text) AS
    coalesce(export_time(text, getvariable('responses_format')), parse_ts(text));

CREATE OR REPLACE TEMP TABLE export_vote_ids AS
SELECT rowid AS record,
       CASE WHEN getvariable('export_tiebreak')
            THEN row_number() OVER (ORDER BY tiebreak_int(tiebreak) NULLS FIRST,
                                             tiebreak_time(tiebreak) NULLS FIRST, rowid)
            ELSE rowid + 1 END AS rank_id
FROM export_responses;

CREATE OR REPLACE TEMP VIEW src_votes AS
SELECT r.rowid AS record,
       coalesce(parse_int(r.vote_id), CASE WHEN r.vote_id IS NULL THEN i.rank_id END) AS vote_id,
       r.vote_id AS vote_text,
       r.member_id,
       r.page,
       r.answer,
       CASE WHEN r.answer IS NULL THEN 0 ELSE 1 END AS answers,
       export_time(r.cast_at, getvariable('responses_format')) AS cast_at,
       r.cast_at AS cast_text
FROM export_responses r
JOIN export_vote_ids i ON i.record = r.rowid
WHERE r.page IN (SELECT page FROM pages);

-- A tiebreak value that reads as neither a whole number nor a time: (record, value).
CREATE OR REPLACE TEMP MACRO tiebreak_problems() AS TABLE
SELECT rowid AS record, tiebreak
FROM export_responses
WHERE tiebreak IS NOT NULL AND tiebreak_int(tiebreak) IS NULL
  AND tiebreak_time(tiebreak) IS NULL AND page IN (SELECT page FROM pages)
ORDER BY rowid;

-- Different answers of one member in one contest on one day, where the export writes a
-- date without a time and maps no column to order them: the records of each such day.
CREATE OR REPLACE TEMP MACRO same_day_answers() AS TABLE
SELECT list(r.rowid ORDER BY r.rowid) AS records
FROM export_responses r
JOIN pages p ON p.page = r.page
WHERE r.cast_at IS NOT NULL AND NOT contains(r.cast_at, ':')
GROUP BY r.member_id, p.wave_id, p.race_id, r.cast_at
HAVING count(DISTINCT r.answer) > 1
ORDER BY min(r.rowid);
