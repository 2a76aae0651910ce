-- A wave's contests: the races of races.csv with at least one vote, endorsement or vetting
-- row in the wave, whether or not that row counts (docs/rules.md §3). NULL w: every wave.
CREATE OR REPLACE TEMP MACRO contests(w) AS TABLE
SELECT DISTINCT x.wave_id, x.race_id
FROM (
    SELECT wave_id, race_id FROM votes WHERE w IS NULL OR wave_id = w
    UNION ALL
    SELECT e.wave_id, c.race_id
    FROM endorsements e JOIN candidates c ON c.candidate_id = e.candidate_id
    WHERE w IS NULL OR e.wave_id = w
    UNION ALL
    SELECT v.wave_id, c.race_id
    FROM vetting v JOIN candidates c ON c.candidate_id = v.candidate_id
    WHERE w IS NULL OR v.wave_id = w
) x
JOIN waves USING (wave_id)
JOIN races USING (race_id);
