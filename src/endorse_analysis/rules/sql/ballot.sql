-- The ballot of each contest (docs/rules.md §3, Ballot): a candidate of the race with a national
-- request from a group in the race's jurisdiction for the wave, cleared by vetting with a
-- passed questionnaire. NULL w: every wave.
CREATE OR REPLACE TEMP MACRO ballot(w) AS TABLE
SELECT DISTINCT e.wave_id, c.race_id, c.candidate_id
FROM endorsements e
JOIN candidates c ON c.candidate_id = e.candidate_id
JOIN races r ON r.race_id = c.race_id
JOIN groups g ON g.group_id = e.group_id
JOIN vetting v ON v.candidate_id = e.candidate_id AND v.wave_id = e.wave_id
WHERE (w IS NULL OR e.wave_id = w)
  AND e.requests_national
  AND v.status = 'cleared'
  AND v.questionnaire = 'passed'
  AND group_in_race(g.state, g.district, r.office, r.state, r.district);
