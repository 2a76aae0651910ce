-- The instant runoff of a ranked wave's contests (contract §5), and the votes a decision
-- reads for every method.

-- runoff(w, sp, sq): every round of every contest of ranked wave w (no rows for another
-- method), with support threshold S = sp/sq. In each round every counted ballot counts for
-- its highest-ranked continuing option (the candidates not yet eliminated, and
-- NO_ENDORSEMENT, which never is); a ballot ranking none is exhausted. The count stops when
-- no continuing candidate has a vote, when one has at least S of N (all counted ballots),
-- or when at most one continues; otherwise the candidate with the fewest votes (ties: fewer
-- first-round votes, then the largest candidate_id) is eliminated and the next round
-- begins. One row per round: `tallies` lists every continuing option's votes (candidates
-- by id, then NO_ENDORSEMENT), `exhausted` counts every ballot exhausted by that round,
-- `eliminated` is NULL in the final round.
CREATE OR REPLACE TEMP MACRO runoff(w, sp, sq) AS TABLE
WITH RECURSIVE ranked AS (
    SELECT wave_id FROM wave_methods(w) WHERE method = 'ranked'
), ballots AS MATERIALIZED (
    SELECT race_id, options, votes FROM counted_ballots(w) WHERE method = 'ranked'
), contest_n AS MATERIALIZED (
    SELECT c.race_id, CAST(coalesce(sum(b.votes), 0) AS BIGINT) AS n
    FROM contests(w) c
    JOIN ranked ON ranked.wave_id = c.wave_id
    LEFT JOIN ballots b ON b.race_id = c.race_id
    GROUP BY c.race_id
), candidates AS MATERIALIZED (
    SELECT b.race_id, b.candidate_id, coalesce(f.votes, 0) AS first_votes
    FROM ballot(w) b
    JOIN ranked ON ranked.wave_id = b.wave_id
    LEFT JOIN option_votes(w) f ON f.race_id = b.race_id AND f.choice = b.candidate_id
), rounds(race_id, round, out, tallies, exhausted, eliminated, stopped) AS (
    SELECT race_id, 0, CAST([] AS VARCHAR[]),
        CAST(NULL AS STRUCT(choice VARCHAR, votes BIGINT)[]), CAST(NULL AS BIGINT),
        CAST(NULL AS VARCHAR), false
    FROM contest_n
    UNION ALL
    (
        WITH previous AS (
            SELECT race_id, round + 1 AS round,
                CASE WHEN eliminated IS NULL THEN out ELSE list_append(out, eliminated) END
                    AS out
            FROM rounds
            WHERE NOT stopped
        ), placed AS (
            SELECT p.race_id,
                list_filter(b.options, lambda o: NOT list_contains(p.out, o))[1] AS choice,
                sum(b.votes) AS votes
            FROM previous p
            JOIN ballots b ON b.race_id = p.race_id
            GROUP BY ALL
        ), standing AS (
            SELECT p.race_id, p.round, p.out, c.candidate_id AS choice, true AS is_candidate,
                c.first_votes
            FROM previous p
            JOIN candidates c
                ON c.race_id = p.race_id AND NOT list_contains(p.out, c.candidate_id)
            UNION ALL
            SELECT race_id, round, out, 'NO_ENDORSEMENT', false, NULL FROM previous
        ), summed AS (
            SELECT s.race_id, s.round, s.out, n.n,
                list({'choice': s.choice, 'votes': CAST(coalesce(pl.votes, 0) AS BIGINT)}
                     ORDER BY NOT s.is_candidate, s.choice) AS tallies,
                CAST(n.n - coalesce(sum(pl.votes), 0) AS BIGINT) AS exhausted,
                coalesce(max(coalesce(pl.votes, 0)) FILTER (WHERE s.is_candidate), 0) AS most,
                count(*) FILTER (WHERE s.is_candidate) AS standing,
                first(s.choice ORDER BY coalesce(pl.votes, 0), s.first_votes, s.choice DESC)
                    FILTER (WHERE s.is_candidate) AS lowest
            FROM standing s
            JOIN contest_n n ON n.race_id = s.race_id
            LEFT JOIN placed pl ON pl.race_id = s.race_id AND pl.choice = s.choice
            GROUP BY s.race_id, s.round, s.out, n.n
        ), judged AS (
            SELECT *,
                most = 0 OR CAST(most AS HUGEINT) * sq >= CAST(sp AS HUGEINT) * n
                    OR standing <= 1 AS stops
            FROM summed
        )
        SELECT race_id, round, out, tallies, exhausted,
            CASE WHEN NOT stops THEN lowest END, stops
        FROM judged
    )
)
SELECT race_id, round, tallies, exhausted, eliminated
FROM rounds
WHERE round > 0
ORDER BY race_id, round;

-- decisive_votes(w, sp, sq): the votes per option that the decision of §3 reads: the
-- first count for a single or approval wave, the final round of the runoff for a ranked
-- one (an eliminated candidate is absent there).
CREATE OR REPLACE TEMP MACRO decisive_votes(w, sp, sq) AS TABLE
WITH final AS (
    SELECT race_id, unnest(tallies, recursive := true)
    FROM runoff(w, sp, sq)
    WHERE eliminated IS NULL
)
SELECT race_id, choice, votes FROM final
UNION ALL
SELECT o.race_id, o.choice, o.votes
FROM option_votes(w) o
WHERE (SELECT method FROM wave_methods(w)) <> 'ranked';

-- runoff_summary(w, sp, sq): per contest of ranked wave w, how many rounds its count took
-- and how many ballots were exhausted by the final round.
CREATE OR REPLACE TEMP MACRO runoff_summary(w, sp, sq) AS TABLE
SELECT race_id, CAST(max(round) AS BIGINT) AS rounds,
    CAST(arg_max(exhausted, round) AS BIGINT) AS exhausted
FROM runoff(w, sp, sq)
GROUP BY race_id;
