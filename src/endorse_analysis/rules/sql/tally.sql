-- The tally and decision of every contest of wave w (docs/rules.md §3, Tally and Decision),
-- with the staff ruling where there is one. Thresholds come as exact fractions: support
-- S = sp/sq, turnout T = tp/tq, minimum ballots M = mp/mq; every comparison is in
-- integers (votes * sq >= sp * N), never on rounded shares.
CREATE OR REPLACE TEMP MACRO tally(w, sp, sq, tp, tq, mp, mq) AS TABLE
WITH counts AS (
    SELECT race_id, status, choice, sum(votes) AS votes
    FROM vote_counts WHERE wave_id = w
    GROUP BY ALL
), options AS (
    SELECT race_id, candidate_id AS choice, true AS is_candidate FROM ballot(w)
    UNION ALL
    SELECT race_id, 'NO_ENDORSEMENT', false FROM contests(w)
), option_votes AS (
    SELECT o.race_id, o.choice, o.is_candidate, coalesce(c.votes, 0) AS votes
    FROM options o
    LEFT JOIN decisive_votes(w, sp, sq) c ON c.race_id = o.race_id AND c.choice = o.choice
), per_contest AS (
    SELECT race_id,
        CAST(count(*) FILTER (WHERE is_candidate) AS BIGINT) AS candidates_on_ballot,
        CAST(max(votes) FILTER (WHERE is_candidate) AS BIGINT) AS max_votes,
        first(choice ORDER BY votes DESC, choice ASC) FILTER (WHERE is_candidate) AS leader
    FROM option_votes
    GROUP BY race_id
), ties AS (
    SELECT p.race_id, count(*) AS at_top
    FROM per_contest p JOIN option_votes o
        ON o.race_id = p.race_id AND o.is_candidate AND o.votes = p.max_votes
    GROUP BY p.race_id
), audit AS (
    SELECT race_id,
        CAST(sum(votes) FILTER (WHERE status = 'counted') AS BIGINT) AS counted,
        CAST(sum(votes) FILTER (WHERE status = 'superseded') AS BIGINT) AS superseded,
        CAST(sum(votes) FILTER (WHERE status = 'outside_window') AS BIGINT) AS outside_window,
        CAST(sum(votes) FILTER (WHERE status = 'not_on_ballot') AS BIGINT) AS not_on_ballot,
        CAST(sum(votes) FILTER (WHERE status = 'not_eligible') AS BIGINT) AS not_eligible,
        CAST(sum(votes) FILTER (WHERE status = 'unknown_member') AS BIGINT) AS unknown_member,
        CAST(sum(votes) FILTER (WHERE status = 'unknown_race') AS BIGINT) AS unknown_race
    FROM counts GROUP BY race_id
), joined AS (
    SELECT c.wave_id, c.race_id, r.office, r.state, r.district,
        p.candidates_on_ballot,
        pv.eligible_voters,
        coalesce(a.counted, 0) AS ballots_counted,
        CASE WHEN p.max_votes > 0 THEN p.leader END AS top_choice,
        CASE WHEN p.max_votes > 0 THEN p.max_votes END AS top_votes,
        coalesce(t.at_top, 0) AS at_top,
        a.* EXCLUDE (race_id)
    FROM contests(w) c
    JOIN races r ON r.race_id = c.race_id
    JOIN per_contest p ON p.race_id = c.race_id
    JOIN potential_voters(w) pv ON pv.race_id = c.race_id
    LEFT JOIN ties t ON t.race_id = c.race_id
    LEFT JOIN audit a ON a.race_id = c.race_id
), decided AS (
    SELECT * EXCLUDE (at_top),
        CASE WHEN eligible_voters > 0 THEN ballots_counted / eligible_voters END AS turnout,
        CASE WHEN top_votes IS NOT NULL THEN top_votes / ballots_counted END AS top_share,
        CASE
            WHEN candidates_on_ballot = 0 THEN 'NO_CANDIDATES'
            WHEN ballots_counted = 0 OR top_votes IS NULL
                 OR CAST(top_votes AS HUGEINT) * sq < CAST(sp AS HUGEINT) * ballots_counted
                THEN 'NO_ENDORSEMENT'
            WHEN at_top = 1
                 AND CAST(ballots_counted AS HUGEINT) * mq >= mp
                 AND CAST(ballots_counted AS HUGEINT) * tq
                     >= CAST(tp AS HUGEINT) * eligible_voters
                THEN 'ENDORSE'
            ELSE 'REVIEW'
        END AS decision,
        at_top > 1 AS tied,
        CAST(ballots_counted AS HUGEINT) * mq >= mp AS enough_ballots,
        CAST(ballots_counted AS HUGEINT) * tq >= CAST(tp AS HUGEINT) * eligible_voters
            AS enough_turnout
    FROM joined
)
-- The final decision is the staff ruling where there is one; a ruling on a contest whose
-- computed decision is not REVIEW is an override.
SELECT d.*,
    coalesce(r.decision, d.decision) AS final_decision,
    r.decision AS ruling_decision,
    r.candidate_id AS ruling_candidate,
    r.decided_by AS ruling_by,
    r.decided_at AS ruling_at,
    r.note AS ruling_note,
    coalesce(r.decision IS NOT NULL AND d.decision <> 'REVIEW', false) AS ruling_override
FROM decided d
LEFT JOIN rulings r ON r.wave_id = w AND r.race_id = d.race_id
ORDER BY d.race_id;

-- Votes per option (each ballot candidate, then NO_ENDORSEMENT) of every contest of wave w:
-- approvals in an approval wave, first preferences in a ranked one; share of all counted
-- ballots N.
CREATE OR REPLACE TEMP MACRO choices(w) AS TABLE
WITH counted AS (
    SELECT race_id, choice, votes FROM option_votes(w)
), ballots AS (
    SELECT race_id, sum(votes) AS n
    FROM vote_counts WHERE wave_id = w AND status = 'counted'
    GROUP BY race_id
), options AS (
    SELECT wave_id, race_id, candidate_id AS choice, 0 AS rank FROM ballot(w)
    UNION ALL
    SELECT wave_id, race_id, 'NO_ENDORSEMENT', 1 FROM contests(w)
), option_votes AS (
    SELECT o.wave_id, o.race_id, o.choice, o.rank, CAST(coalesce(c.votes, 0) AS BIGINT) AS votes
    FROM options o LEFT JOIN counted c ON c.race_id = o.race_id AND c.choice = o.choice
)
SELECT o.wave_id, o.race_id, o.choice, o.votes,
    CASE WHEN b.n > 0 THEN o.votes / b.n END AS share
FROM option_votes o LEFT JOIN ballots b ON b.race_id = o.race_id
ORDER BY o.race_id, o.rank, o.choice;

-- Counted ballots of each contest of wave w per day cast (UTC): an internal breakdown
-- whose small cells a page must hide (rules/privacy.py).
CREATE OR REPLACE TEMP MACRO counted_by_day(w) AS TABLE
SELECT v.race_id, v.cast_day, CAST(sum(v.votes) AS BIGINT) AS ballots
FROM vote_counts v
JOIN contests(w) c ON c.race_id = v.race_id
WHERE v.wave_id = w AND v.status = 'counted'
GROUP BY ALL
ORDER BY v.race_id, v.cast_day;

-- Votes per wave, race and status as the votes carry them (non-zero counts only); NULL w:
-- every wave_id found in the votes, unknown ones included.
CREATE OR REPLACE TEMP MACRO audit(w) AS TABLE
SELECT wave_id, race_id, status, CAST(sum(votes) AS BIGINT) AS votes
FROM vote_counts
WHERE w IS NULL OR wave_id = w
GROUP BY ALL
ORDER BY wave_id, race_id, status;
