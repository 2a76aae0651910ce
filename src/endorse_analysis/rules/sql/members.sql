-- Member flows for the analyst's notebooks (api/members.py), over the same rules as the
-- tally: counts of members, never a member. A member is eligible in a wave when they are a
-- potential voter of at least one of its contests, and voted when they have a counted
-- ballot in at least one (a counted ballot is always an eligible member's).

-- One row per member eligible in wave w (a potential voter of at least one contest: the
-- same rule as every tally), and whether they voted (internal: the API only counts them).
-- NULL w: every wave.
CREATE OR REPLACE TEMP MACRO member_votes(w) AS TABLE
WITH eligible AS (
    SELECT DISTINCT wave_id, member_id FROM potential_voter_members(w)
), voted AS (
    SELECT DISTINCT wave_id, member_id FROM vote_status(w) WHERE status = 'counted'
)
SELECT e.wave_id, e.member_id, v.member_id IS NOT NULL AS voted
FROM eligible e LEFT JOIN voted v ON v.wave_id = e.wave_id AND v.member_id = e.member_id;

-- Per wave, in order of opening: members on the list during it (signed up before it
-- closed, not opted out before it opened), of them eligible, of them voted.
CREATE OR REPLACE TEMP MACRO member_funnel() AS TABLE
WITH listed AS (
    SELECT wa.wave_id, count(m.member_id) AS signed_up
    FROM waves wa LEFT JOIN members m
        ON m.signed_up_at < wa.closes_at
       AND (m.opted_out_at IS NULL OR m.opted_out_at >= wa.opens_at)
    GROUP BY wa.wave_id
), flows AS (
    SELECT wave_id, count(*) AS eligible, count(*) FILTER (WHERE voted) AS voted
    FROM member_votes(NULL) GROUP BY wave_id
)
SELECT wa.wave_id, CAST(l.signed_up AS BIGINT) AS signed_up,
    CAST(coalesce(f.eligible, 0) AS BIGINT) AS eligible,
    CAST(coalesce(f.voted, 0) AS BIGINT) AS voted
FROM waves wa JOIN listed l ON l.wave_id = wa.wave_id
LEFT JOIN flows f ON f.wave_id = wa.wave_id
ORDER BY wa.opens_at, wa.wave_id;

-- From each wave to the next (in order of opening): its voters, how many of them were
-- eligible in the next wave, and how many of those voted again.
CREATE OR REPLACE TEMP MACRO member_retention() AS TABLE
WITH ordered AS (
    SELECT wave_id, opens_at, lead(wave_id) OVER (ORDER BY opens_at, wave_id) AS next_wave
    FROM waves
), wm AS (
    SELECT * FROM member_votes(NULL)
)
SELECT o.wave_id AS from_wave, o.next_wave AS to_wave,
    CAST(count(a.member_id) AS BIGINT) AS voters,
    CAST(count(n.member_id) AS BIGINT) AS eligible_again,
    CAST(count(n.member_id) FILTER (WHERE n.voted) AS BIGINT) AS voted_again
FROM ordered o
LEFT JOIN wm a ON a.wave_id = o.wave_id AND a.voted
LEFT JOIN wm n ON n.wave_id = o.next_wave AND n.member_id = a.member_id
WHERE o.next_wave IS NOT NULL
GROUP BY o.wave_id, o.next_wave, o.opens_at
ORDER BY o.opens_at, o.wave_id;

-- Per wave: eligible members and voters, split by whether the wave is the first in which
-- the member was eligible (new_member) or not.
CREATE OR REPLACE TEMP MACRO member_tenure() AS TABLE
WITH wm AS (
    SELECT m.wave_id, m.member_id, m.voted, wa.opens_at
    FROM member_votes(NULL) m JOIN waves wa ON wa.wave_id = m.wave_id
), firsts AS (
    SELECT member_id, min(opens_at) AS first_opens FROM wm GROUP BY member_id
)
SELECT wm.wave_id, wm.opens_at = f.first_opens AS new_member,
    CAST(count(*) AS BIGINT) AS eligible,
    CAST(count(*) FILTER (WHERE wm.voted) AS BIGINT) AS voted
FROM wm JOIN firsts f ON f.member_id = wm.member_id
GROUP BY wm.wave_id, wm.opens_at, new_member
ORDER BY wm.opens_at, wm.wave_id, new_member DESC;

-- Per contest of wave w: members who cast more than one valid ballot (the superseded ones
-- and the counted one), and how many of them counted another choice than their first.
CREATE OR REPLACE TEMP MACRO vote_changes(w) AS TABLE
WITH per_member AS (
    SELECT wave_id, race_id, member_id, count(*) AS ballots,
        arg_min(choice, (cast_at, vote_id)) AS first_choice,
        arg_max(choice, (cast_at, vote_id)) AS counted_choice
    FROM vote_status(w)
    WHERE status IN ('counted', 'superseded')
    GROUP BY ALL
)
SELECT wave_id, race_id,
    CAST(count(*) FILTER (WHERE ballots > 1) AS BIGINT) AS revoting_members,
    CAST(count(*) FILTER (WHERE first_choice <> counted_choice) AS BIGINT) AS changed_choice
FROM per_member
GROUP BY wave_id, race_id
HAVING count(*) FILTER (WHERE ballots > 1) > 0
ORDER BY wave_id, race_id;
