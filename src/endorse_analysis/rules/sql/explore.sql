-- Aggregates for the analyst's notebooks (api/explore.py), over the same rules as the
-- tally. Counts of members and groups, never a member; ballots are counted ballots.

-- Every House district of the 50 states (0 at large) with the potential voters of wave w
-- (members who could vote in its House race), groups with that district, and statewide
-- groups of its state (they count for every House race of the state).
CREATE OR REPLACE TEMP MACRO reach_by_district(w) AS TABLE
WITH districts AS (
    SELECT state, unnest(CASE WHEN house_seats = 1 THEN [0]
                              ELSE range(1, house_seats + 1) END) AS district
    FROM states WHERE house_seats > 0
), voters AS (
    SELECT d.state, d.district, coalesce(sum(e.members), 0) AS potential_voters
    FROM districts d LEFT JOIN eligible_members(w) e
        ON member_in_race(e.state, e.district, 'house', d.state, d.district)
    GROUP BY ALL
), grp AS (
    SELECT d.state, d.district,
        count(g.group_id) FILTER (WHERE g.district IS NOT NULL) AS district_groups,
        count(g.group_id) FILTER (WHERE g.district IS NULL) AS statewide_groups
    FROM districts d LEFT JOIN groups g
        ON group_in_race(g.state, g.district, 'house', d.state, d.district)
    GROUP BY ALL
)
SELECT v.state, CAST(v.district AS BIGINT) AS district,
    CAST(v.potential_voters AS BIGINT) AS potential_voters,
    CAST(g.district_groups AS BIGINT) AS district_groups,
    CAST(g.statewide_groups AS BIGINT) AS statewide_groups,
    CAST(g.district_groups + g.statewide_groups AS BIGINT) AS groups
FROM voters v JOIN grp g USING (state, district)
ORDER BY state, district;

-- Per state: its name and the potential voters of its statewide races in wave w.
CREATE OR REPLACE TEMP MACRO statewide_voters(w) AS TABLE
SELECT s.state, s.name AS state_name,
    CAST(coalesce(sum(e.members), 0) AS BIGINT) AS potential_voters
FROM states s LEFT JOIN eligible_members(w) e ON e.state = s.state
WHERE s.house_seats > 0
GROUP BY s.state, s.name
ORDER BY s.state;

-- Per contest of wave w: the groups of the jurisdiction endorsing any candidate of the
-- race, and whether a first-time candidate or an incumbent is on the ballot.
CREATE OR REPLACE TEMP MACRO contest_traits(w) AS TABLE
WITH g AS (
    SELECT c.race_id, count(DISTINCT e.group_id) AS endorsing_groups
    FROM endorsements e
    JOIN candidates c ON c.candidate_id = e.candidate_id
    JOIN races r ON r.race_id = c.race_id
    JOIN groups g ON g.group_id = e.group_id
    WHERE e.wave_id = w
      AND group_in_race(g.state, g.district, r.office, r.state, r.district)
    GROUP BY ALL
), f AS (
    SELECT b.race_id, bool_or(c.first_time) AS first_time, bool_or(c.incumbent) AS incumbent
    FROM ballot(w) b JOIN candidates c ON c.candidate_id = b.candidate_id
    GROUP BY ALL
)
SELECT x.race_id, CAST(coalesce(g.endorsing_groups, 0) AS BIGINT) AS endorsing_groups,
    coalesce(f.first_time, false) AS first_time,
    coalesce(f.incumbent, false) AS incumbent
FROM contests(w) x LEFT JOIN g USING (race_id) LEFT JOIN f USING (race_id)
ORDER BY x.race_id;

-- Counted ballots of wave w with the hours since its window opened (one row per ballot:
-- internal; the API counts them per hour or per contest and protects small cells).
CREATE OR REPLACE TEMP MACRO counted_arrivals(w) AS TABLE
SELECT v.race_id, date_diff('second', wa.opens_at, v.cast_at) / 3600.0 AS hours
FROM vote_status(w) v JOIN waves wa ON wa.wave_id = v.wave_id
WHERE v.status = 'counted';

-- Counted ballots of wave w in each whole hour since its window opened, every hour of the
-- window included (internal: small cells).
CREATE OR REPLACE TEMP MACRO counted_by_hour(w) AS TABLE
WITH hours AS (
    SELECT unnest(range(0, CAST(ceil(date_diff('second', opens_at, closes_at) / 3600.0)
                                AS BIGINT))) AS hour
    FROM waves WHERE wave_id = w
)
SELECT CAST(h.hour AS BIGINT) AS hour, CAST(count(a.hours) AS BIGINT) AS ballots
FROM hours h LEFT JOIN counted_arrivals(w) a ON floor(a.hours) = h.hour
GROUP BY h.hour ORDER BY h.hour;

-- Per contest of wave w with a counted ballot: its counted ballots, and those cast in the
-- first h hours of the window (internal: small cells).
CREATE OR REPLACE TEMP MACRO counted_first_hours(w, h) AS TABLE
SELECT a.race_id, r.office, CAST(count(*) AS BIGINT) AS ballots,
    CAST(count(*) FILTER (WHERE a.hours < h) AS BIGINT) AS first_hours
FROM counted_arrivals(w) a JOIN races r ON r.race_id = a.race_id
GROUP BY ALL ORDER BY a.race_id;

-- Members signed up per period (unit: day, week, month, quarter or year), national.
CREATE OR REPLACE TEMP MACRO signups_by_period(unit) AS TABLE
SELECT date_trunc(unit, signed_up_at) AS period, CAST(count(*) AS BIGINT) AS signups
FROM members GROUP BY ALL ORDER BY period;

-- Sign-ups per day relative to each wave's sign-up deadline (day -1: the last 24 hours
-- before it, day 0: the 24 hours after), from `days_before` days before to `days_after`
-- days after.
CREATE OR REPLACE TEMP MACRO signups_around_deadlines(days_before, days_after) AS TABLE
WITH deadlines AS (
    SELECT wave_id, coalesce(signup_closes_at, closes_at) AS deadline FROM waves
), days AS (
    SELECT wave_id, deadline, unnest(range(-days_before, days_after)) AS day FROM deadlines
)
SELECT d.wave_id, d.deadline, CAST(d.day AS BIGINT) AS day,
    CAST(count(m.member_id) AS BIGINT) AS signups
FROM days d LEFT JOIN members m
    ON m.signed_up_at >= d.deadline + d.day * INTERVAL 1 DAY
   AND m.signed_up_at < d.deadline + (d.day + 1) * INTERVAL 1 DAY
GROUP BY d.wave_id, d.deadline, d.day ORDER BY d.wave_id, d.day;

-- Per wave: sign-ups in the `n_days` days before its sign-up deadline, and in the
-- `n_weeks` weeks before those.
CREATE OR REPLACE TEMP MACRO signup_rush_counts(n_days, n_weeks) AS TABLE
WITH d AS (SELECT wave_id, opens_at, coalesce(signup_closes_at, closes_at) AS deadline
           FROM waves)
SELECT d.wave_id, d.deadline,
    CAST(count(m.member_id) FILTER (
        WHERE m.signed_up_at >= d.deadline - n_days * INTERVAL 1 DAY
          AND m.signed_up_at < d.deadline) AS BIGINT) AS last_days,
    CAST(count(m.member_id) FILTER (
        WHERE m.signed_up_at >= d.deadline - (n_days + 7 * n_weeks) * INTERVAL 1 DAY
          AND m.signed_up_at < d.deadline - n_days * INTERVAL 1 DAY) AS BIGINT) AS baseline
FROM d LEFT JOIN members m ON true
GROUP BY d.wave_id, d.deadline, d.opens_at ORDER BY d.opens_at, d.wave_id;

-- The contests of wave w in which each group endorsed a candidate on the ballot, within its
-- jurisdiction (the endorsements that count): where a group put its weight in the wave.
CREATE OR REPLACE TEMP MACRO group_endorsed_contests(w) AS TABLE
SELECT DISTINCT g.group_id, g.name AS group_name, g.state, g.district, b.race_id
FROM endorsements e
JOIN groups g ON g.group_id = e.group_id
JOIN ballot(w) b ON b.candidate_id = e.candidate_id
JOIN races r ON r.race_id = b.race_id
WHERE e.wave_id = w AND group_in_race(g.state, g.district, r.office, r.state, r.district)
ORDER BY g.group_id, b.race_id;
