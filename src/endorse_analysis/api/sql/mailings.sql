-- The waves of the program up to wave w, in the order they opened (ties: by wave_id):
-- the waves whose endorsements are on the public list when wave w is announced.
CREATE OR REPLACE TEMP MACRO waves_so_far(w) AS TABLE
SELECT x.wave_id, x.name AS wave_name, x.closes_at
FROM waves x, (SELECT opens_at, wave_id FROM waves WHERE wave_id = w) t
WHERE x.opens_at < t.opens_at OR (x.opens_at = t.opens_at AND x.wave_id <= t.wave_id)
ORDER BY x.opens_at, x.wave_id;

-- Each race with its state's name, and each of its candidates: what the public list says
-- of an endorsed candidate besides the tally.
CREATE OR REPLACE TEMP MACRO race_candidates() AS TABLE
SELECT r.race_id, r.office, r.state, s.name AS state_name, r.district,
       c.candidate_id, c.name AS candidate_name, c.party
FROM candidates c
JOIN races r ON r.race_id = c.race_id
LEFT JOIN states s ON s.state = r.state;
