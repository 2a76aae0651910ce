-- The snapshot's votes counted per (wave_id, race_id, status, choice), written once at
-- load by the same vote_status macro every query uses. A snapshot never changes, so the
-- tally reads these counts instead of classifying millions of votes again; only an
-- --as-of tally, which sees fewer votes, classifies them afresh (tally.py).
CREATE TABLE vote_counts AS
SELECT wave_id, race_id, status, choice, count(*) AS votes
FROM vote_status(NULL)
GROUP BY ALL
ORDER BY ALL;
