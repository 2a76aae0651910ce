-- Every vote gets exactly one status, the first test that applies (docs/rules.md §3), in one
-- set-based pass over the wave's votes. NULL w: every vote of every wave, known or not.
-- Members are joined and grouped on member_key, the integer a load gives each member.

-- Each vote with the first validity test it fails (invalid), NULL when it passes them all.
CREATE OR REPLACE TEMP MACRO checked_votes(w) AS TABLE
SELECT v.vote_id, v.wave_id, v.race_id, v.member_id, v.member_key, v.choice, v.cast_at,
    CASE
        WHEN wa.wave_id IS NULL OR r.race_id IS NULL THEN 'unknown_race'
        WHEN m.member_key IS NULL THEN 'unknown_member'
        WHEN NOT (member_in_race(m.state, m.district, r.office, r.state, r.district)
                  AND signed_up_for_wave(m.signed_up_at, m.opted_out_at,
                                         wa.opens_at, wa.closes_at, wa.signup_closes_at))
            THEN 'not_eligible'
        WHEN v.cast_at < wa.opens_at OR v.cast_at >= wa.closes_at THEN 'outside_window'
        WHEN CASE WHEN coalesce(wa.method, 'single') = 'single'
                  THEN v.choice <> 'NO_ENDORSEMENT' AND b.candidate_id IS NULL
                  ELSE f.choice IS NULL END  -- approval, ranked: a valid form (§5)
            THEN 'not_on_ballot'
    END AS invalid
FROM votes v
LEFT JOIN waves wa ON wa.wave_id = v.wave_id
LEFT JOIN races r ON r.race_id = v.race_id
LEFT JOIN members m ON m.member_key = v.member_key
LEFT JOIN ballot(w) b
    ON b.wave_id = v.wave_id AND b.race_id = v.race_id AND b.candidate_id = v.choice
LEFT JOIN ballot_forms(w) f
    ON f.wave_id = v.wave_id AND f.race_id = v.race_id AND f.choice = v.choice
WHERE w IS NULL OR v.wave_id = w;

-- Of a member's valid votes in a contest (grouped by wave_id, race_id, member_key), the
-- latest counts: the one with the largest ballot_order; an invalid vote never supersedes
-- a valid one. vote_status and classified_vote_counts both pick it by this order. The
-- order is (cast_at, vote_id) packed into one HUGEINT (microseconds * 2^64 + vote_id,
-- both 64-bit, so the packing keeps their order): arg_max on it is a plain integer
-- comparison, not a struct's.
CREATE OR REPLACE TEMP MACRO ballot_order(cast_at, vote_id) AS
    CAST(epoch_us(cast_at) AS HUGEINT) * 18446744073709551616 + vote_id;

CREATE OR REPLACE TEMP MACRO vote_status(w) AS TABLE
WITH checked AS (
    FROM checked_votes(w)
)
, latest AS (
    SELECT arg_max(vote_id, ballot_order(cast_at, vote_id)) AS vote_id
    FROM checked
    WHERE invalid IS NULL
    GROUP BY wave_id, race_id, member_key
)
SELECT c.vote_id, c.wave_id, c.race_id, c.member_id, c.choice, c.cast_at,
    coalesce(c.invalid, CASE WHEN l.vote_id IS NULL THEN 'superseded' ELSE 'counted' END)
        AS status
FROM checked c LEFT JOIN latest l ON l.vote_id = c.vote_id;
