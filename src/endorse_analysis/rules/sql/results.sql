-- The groups that endorsed each candidate of wave w from inside the race's jurisdiction
-- (the ones that count), and the groups whose area covers each contest of the wave.
CREATE OR REPLACE TEMP MACRO endorsing_groups(w) AS TABLE
SELECT c.race_id, e.candidate_id,
       string_agg(g.name, '; ' ORDER BY g.name, g.group_id) AS endorsing_groups
FROM endorsements e
JOIN candidates c ON c.candidate_id = e.candidate_id
JOIN races r ON r.race_id = c.race_id
JOIN groups g ON g.group_id = e.group_id
WHERE e.wave_id = w AND group_in_race(g.state, g.district, r.office, r.state, r.district)
GROUP BY ALL;

CREATE OR REPLACE TEMP MACRO group_contests(w) AS TABLE
SELECT g.group_id, g.name AS group_name, g.state, g.district, c.race_id
FROM groups g
JOIN races r ON group_in_race(g.state, g.district, r.office, r.state, r.district)
JOIN contests(w) c ON c.race_id = r.race_id;

-- Endorsements of wave w by groups outside the race's jurisdiction: they do not count for
-- the ballot, and a page lists them as a data issue (docs/rules.md §3).
CREATE OR REPLACE TEMP MACRO outside_endorsements(w) AS TABLE
SELECT c.race_id, e.candidate_id, c.name AS candidate_name, g.group_id, g.name AS group_name,
       g.state AS group_state, g.district AS group_district, e.requests_national
FROM endorsements e
JOIN candidates c ON c.candidate_id = e.candidate_id
JOIN races r ON r.race_id = c.race_id
JOIN groups g ON g.group_id = e.group_id
WHERE e.wave_id = w AND NOT group_in_race(g.state, g.district, r.office, r.state, r.district)
ORDER BY c.race_id, e.candidate_id, g.group_id;
