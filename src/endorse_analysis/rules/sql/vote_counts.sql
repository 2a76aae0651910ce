-- Every vote of wave w (NULL: of every wave) classified once (vote_status.sql) and counted
-- per wave, race, status, choice and day cast (UTC). Every tally, option count, audit and
-- votes-over-time figure reads these counts, so they cannot disagree. A load stores them
-- for every wave as the table vote_counts; an --as-of connection builds a temporary
-- vote_counts of its own from the votes before its instant (of the waves it was opened
-- for), which the same macros then read.
--
-- The same statuses as vote_status(w), counted without joining each vote back to its
-- member's latest ballot: of a member's valid votes in a contest exactly one (the latest
-- by ballot_order) is counted, so per (wave, race, choice, day) the superseded votes are
-- the valid ones less the counted ones.
CREATE OR REPLACE TEMP MACRO classified_vote_counts(w) AS TABLE
WITH checked AS MATERIALIZED (
    SELECT wave_id, race_id, member_key, choice, cast_at, vote_id, invalid
    FROM checked_votes(w)
)
, by_test AS (
    SELECT wave_id, race_id, invalid, choice, CAST(cast_at AS DATE) AS cast_day,
           CAST(count(*) AS BIGINT) AS votes
    FROM checked
    GROUP BY ALL
)
, latest AS (
    -- ballot_order is unique per vote: both pick the same one, with no struct to compare
    SELECT wave_id, race_id,
           arg_max(choice, ballot_order(cast_at, vote_id)) AS choice,
           arg_max(CAST(cast_at AS DATE), ballot_order(cast_at, vote_id)) AS cast_day
    FROM checked
    WHERE invalid IS NULL
    GROUP BY wave_id, race_id, member_key
)
, counted AS (
    SELECT wave_id, race_id, choice, cast_day, CAST(count(*) AS BIGINT) AS votes
    FROM latest
    GROUP BY ALL
)
SELECT wave_id, race_id, invalid AS status, choice, cast_day, votes
FROM by_test WHERE invalid IS NOT NULL
UNION ALL
SELECT wave_id, race_id, 'counted', choice, cast_day, votes FROM counted
UNION ALL
SELECT t.wave_id, t.race_id, 'superseded', t.choice, t.cast_day,
       t.votes - coalesce(c.votes, 0)
FROM by_test t
LEFT JOIN counted c
    ON c.wave_id = t.wave_id AND c.race_id = t.race_id AND c.choice = t.choice
   AND c.cast_day = t.cast_day
WHERE t.invalid IS NULL AND t.votes > coalesce(c.votes, 0);
