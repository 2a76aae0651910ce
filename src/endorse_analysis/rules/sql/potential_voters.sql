-- Potential voters E of each contest of wave w (contract §3): members in the race's
-- jurisdiction who signed up in time and had not opted out. Members are first counted per
-- (state, district), so the join to races is a few hundred rows, not millions.
CREATE OR REPLACE TEMP MACRO potential_voters(w) AS TABLE
WITH wave AS (
    SELECT * FROM waves WHERE wave_id = w
), eligible AS (
    SELECT m.state, m.district, count(*) AS members
    FROM members m, wave
    WHERE m.state IS NOT NULL
      AND signed_up_for_wave(m.signed_up_at, m.opted_out_at,
                             wave.opens_at, wave.closes_at, wave.signup_closes_at)
    GROUP BY ALL
)
SELECT c.wave_id, c.race_id, CAST(coalesce(sum(e.members), 0) AS BIGINT) AS eligible_voters
FROM contests(w) c
JOIN races r ON r.race_id = c.race_id
LEFT JOIN eligible e ON member_in_race(e.state, e.district, r.office, r.state, r.district)
GROUP BY ALL;
