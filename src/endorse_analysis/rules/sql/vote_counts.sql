-- Every vote of wave w (NULL: of every wave) classified once (vote_status) and counted
-- per wave, race, status, choice and day cast (UTC). Every tally, option count, audit and
-- votes-over-time figure reads these counts, so they cannot disagree. A load stores them
-- for every wave as the table vote_counts; an --as-of connection builds a temporary
-- vote_counts of its own from the votes before its instant (of the waves it was opened
-- for), which the same macros then read.
CREATE OR REPLACE TEMP MACRO classified_vote_counts(w) AS TABLE
SELECT wave_id, race_id, status, choice, CAST(cast_at AS DATE) AS cast_day,
       CAST(count(*) AS BIGINT) AS votes
FROM vote_status(w)
GROUP BY ALL;
