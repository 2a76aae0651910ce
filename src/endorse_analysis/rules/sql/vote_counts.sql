-- Every vote of every wave classified once (vote_status) and counted per wave, race,
-- status, choice and day cast (UTC). Every tally, option count, audit and votes-over-time
-- figure reads these counts, so they cannot disagree. A load stores them as the table
-- vote_counts; an --as-of connection builds a temporary vote_counts of its own from the
-- votes before its instant, which the same macros then read.
CREATE OR REPLACE TEMP MACRO classified_vote_counts() AS TABLE
SELECT wave_id, race_id, status, choice, CAST(cast_at AS DATE) AS cast_day,
       CAST(count(*) AS BIGINT) AS votes
FROM vote_status(NULL)
GROUP BY ALL;
