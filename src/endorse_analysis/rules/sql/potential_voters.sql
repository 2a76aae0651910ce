-- Members who could vote in wave w (NULL: in each wave): signed up before the wave's
-- sign-up deadline and not opted out before it opened (docs/rules.md §3). A member in no state
-- is left out; a NULL district is unknown.
CREATE OR REPLACE TEMP MACRO wave_members(w) AS TABLE
SELECT wave.wave_id, m.member_id, m.state, m.district, m.opted_out_at
FROM members m, (SELECT * FROM waves WHERE w IS NULL OR wave_id = w) wave
WHERE m.state IS NOT NULL
  AND signed_up_for_wave(m.signed_up_at, m.opted_out_at,
                         wave.opens_at, wave.closes_at, wave.signup_closes_at);

-- The same members counted per wave and (state, district). Counting per place first keeps
-- every join to races a few hundred rows, not millions.
CREATE OR REPLACE TEMP MACRO eligible_members(w) AS TABLE
SELECT wave_id, state, district, count(*) AS members
FROM wave_members(w)
GROUP BY ALL;

-- The places (state, district) in each contest's jurisdiction, with their eligible members.
CREATE OR REPLACE TEMP MACRO contest_places(w) AS TABLE
SELECT c.wave_id, c.race_id, e.state, e.district, e.members
FROM contests(w) c
JOIN races r ON r.race_id = c.race_id
JOIN eligible_members(w) e
    ON e.wave_id = c.wave_id
   AND member_in_race(e.state, e.district, r.office, r.state, r.district);

-- Potential voters E of each contest of wave w (docs/rules.md §3): the eligible members in the
-- race's jurisdiction.
CREATE OR REPLACE TEMP MACRO potential_voters(w) AS TABLE
SELECT c.wave_id, c.race_id, CAST(coalesce(sum(p.members), 0) AS BIGINT) AS eligible_voters
FROM contests(w) c
LEFT JOIN contest_places(w) p ON p.wave_id = c.wave_id AND p.race_id = c.race_id
GROUP BY ALL;

-- The same potential voters one row per member, with the member's opt-out: for the lists
-- handed back to the list tool only (member ids never reach a report).
CREATE OR REPLACE TEMP MACRO potential_voter_members(w) AS TABLE
SELECT p.wave_id, p.race_id, m.member_id, m.opted_out_at
FROM contest_places(w) p
JOIN wave_members(w) m
    ON m.wave_id = p.wave_id AND m.state = p.state
   AND m.district IS NOT DISTINCT FROM p.district;
