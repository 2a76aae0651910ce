-- The votes of wave w counted per contest, status and choice: the one pass over the
-- votes that the tally and the per-option counts share. tally.py keeps it in the
-- temporary table wave_counts, so that a tally and its choices classify the votes once.
CREATE OR REPLACE TEMP MACRO contest_counts(w) AS TABLE
SELECT wave_id, race_id, status, choice, count(*) AS votes
FROM vote_status(w)
WHERE race_id IN (SELECT race_id FROM races)
GROUP BY ALL;

-- The tally and decision of every contest of wave w (contract §3, Tally and Decision),
-- from wave_counts. Thresholds come as exact fractions: support S = sp/sq, turnout
-- T = tp/tq, minimum ballots M = mp/mq; every comparison is in integers
-- (votes * sq >= sp * N).
CREATE OR REPLACE TEMP MACRO tally(w, sp, sq, tp, tq, mp, mq) AS TABLE
WITH counts AS (
    SELECT race_id, status, choice, votes FROM wave_counts WHERE wave_id = w
), options AS (
    SELECT race_id, candidate_id AS choice, true AS is_candidate FROM ballot(w)
    UNION ALL
    SELECT race_id, 'NO_ENDORSEMENT', false FROM contests(w)
), option_votes AS (
    SELECT o.race_id, o.choice, o.is_candidate, coalesce(c.votes, 0) AS votes
    FROM options o
    LEFT JOIN counts c ON c.race_id = o.race_id AND c.choice = o.choice AND c.status = 'counted'
), per_contest AS (
    SELECT race_id,
        count(*) FILTER (WHERE is_candidate) AS candidates_on_ballot,
        CAST(sum(votes) AS BIGINT) AS ballots_counted,
        max(votes) FILTER (WHERE is_candidate) AS max_votes,
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
        sum(votes) FILTER (WHERE status = 'counted') AS counted,
        sum(votes) FILTER (WHERE status = 'superseded') AS superseded,
        sum(votes) FILTER (WHERE status = 'outside_window') AS outside_window,
        sum(votes) FILTER (WHERE status = 'not_on_ballot') AS not_on_ballot,
        sum(votes) FILTER (WHERE status = 'not_eligible') AS not_eligible,
        sum(votes) FILTER (WHERE status = 'unknown_member') AS unknown_member,
        sum(votes) FILTER (WHERE status = 'unknown_race') AS unknown_race
    FROM counts GROUP BY race_id
), joined AS (
    SELECT c.wave_id, c.race_id, r.office, r.state, r.district,
        p.candidates_on_ballot,
        pv.eligible_voters,
        p.ballots_counted,
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
)
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
             AND CAST(ballots_counted AS HUGEINT) * tq >= CAST(tp AS HUGEINT) * eligible_voters
            THEN 'ENDORSE'
        ELSE 'REVIEW'
    END AS decision,
    at_top > 1 AS tied,
    CAST(ballots_counted AS HUGEINT) * mq >= mp AS enough_ballots,
    CAST(ballots_counted AS HUGEINT) * tq >= CAST(tp AS HUGEINT) * eligible_voters AS enough_turnout
FROM joined
ORDER BY race_id;

-- Votes per option (each ballot candidate, then NO_ENDORSEMENT) of every contest of wave w,
-- from wave_counts.
CREATE OR REPLACE TEMP MACRO choices(w) AS TABLE
WITH counted AS (
    SELECT race_id, choice, votes FROM wave_counts WHERE wave_id = w AND status = 'counted'
), options AS (
    SELECT wave_id, race_id, candidate_id AS choice, 0 AS rank FROM ballot(w)
    UNION ALL
    SELECT wave_id, race_id, 'NO_ENDORSEMENT', 1 FROM contests(w)
)
SELECT o.wave_id, o.race_id, o.choice, CAST(coalesce(c.votes, 0) AS BIGINT) AS votes,
    CASE WHEN sum(coalesce(c.votes, 0)) OVER (PARTITION BY o.race_id) > 0
         THEN coalesce(c.votes, 0) / sum(coalesce(c.votes, 0)) OVER (PARTITION BY o.race_id) END AS share
FROM options o LEFT JOIN counted c ON c.race_id = o.race_id AND c.choice = o.choice
ORDER BY o.race_id, o.rank, o.choice;
