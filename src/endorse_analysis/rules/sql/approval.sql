-- The counted ballots of wave w's contests by the options they name, and each option's
-- votes in the first count (contract §5): single, the choice; approval, every option a
-- ballot approves; ranked, the first preference.

-- counted_ballots(w): each distinct counted ballot of a contest as its list of options in
-- order (a single choice is one option) and how many counted ballots it stands for.
CREATE OR REPLACE TEMP MACRO counted_ballots(w) AS TABLE
SELECT c.race_id, m.method,
    CASE WHEN m.method = 'single' THEN [c.choice] ELSE ballot_parts(c.choice, m.method) END
        AS options,
    CAST(sum(c.votes) AS BIGINT) AS votes
FROM vote_counts c
JOIN wave_methods(w) m ON m.wave_id = c.wave_id
WHERE c.wave_id = w AND c.status = 'counted'
GROUP BY ALL;

-- option_votes(w): votes per option named on a counted ballot (approvals for an approval
-- wave, first preferences for a ranked one); options with no vote are absent.
CREATE OR REPLACE TEMP MACRO option_votes(w) AS TABLE
WITH counted AS (
    SELECT race_id, votes,
        unnest(CASE WHEN method = 'approval' THEN options ELSE options[1:1] END) AS choice
    FROM counted_ballots(w)
)
SELECT race_id, choice, CAST(sum(votes) AS BIGINT) AS votes
FROM counted
GROUP BY race_id, choice;

-- approved_enough(w, sp, sq): per contest of approval wave w, the ballot candidates
-- approved by at least S = sp/sq of the counted ballots, by candidate_id.
CREATE OR REPLACE TEMP MACRO approved_enough(w, sp, sq) AS TABLE
WITH n AS (
    SELECT race_id, sum(votes) AS n FROM counted_ballots(w) GROUP BY race_id
)
SELECT o.race_id, list(o.choice ORDER BY o.choice) AS candidates
FROM option_votes(w) o
JOIN n ON n.race_id = o.race_id
JOIN ballot(w) b ON b.race_id = o.race_id AND b.candidate_id = o.choice
WHERE (SELECT method FROM wave_methods(w)) = 'approval'
  AND CAST(o.votes AS HUGEINT) * sq >= CAST(sp AS HUGEINT) * n.n
GROUP BY o.race_id;

-- first_preferences(w): per contest of wave w, the counted ballots whose first-written
-- option is each option: what a single-choice count of the same ballots would read.
CREATE OR REPLACE TEMP MACRO first_preferences(w) AS TABLE
SELECT race_id, options[1] AS choice, CAST(sum(votes) AS BIGINT) AS votes
FROM counted_ballots(w)
GROUP BY race_id, options[1];
