-- Members who could vote in wave w, counted per (state, district): signed up before the
-- wave's sign-up deadline and not opted out before it opened (contract §3). A member in
-- no state is left out; a NULL district is unknown. Counting per place first keeps every
-- join to races a few hundred rows, not millions.
CREATE OR REPLACE TEMP MACRO eligible_members(w) AS TABLE
SELECT m.state, m.district, count(*) AS members
FROM members m, (SELECT * FROM waves WHERE wave_id = w) wave
WHERE m.state IS NOT NULL
  AND signed_up_for_wave(m.signed_up_at, m.opted_out_at,
                         wave.opens_at, wave.closes_at, wave.signup_closes_at)
GROUP BY ALL;

-- Potential voters E of each contest of wave w (contract §3): the eligible members in the
-- race's jurisdiction.
CREATE OR REPLACE TEMP MACRO potential_voters(w) AS TABLE
SELECT c.wave_id, c.race_id, CAST(coalesce(sum(e.members), 0) AS BIGINT) AS eligible_voters
FROM contests(w) c
JOIN races r ON r.race_id = c.race_id
LEFT JOIN eligible_members(w) e
    ON member_in_race(e.state, e.district, r.office, r.state, r.district)
GROUP BY ALL;
