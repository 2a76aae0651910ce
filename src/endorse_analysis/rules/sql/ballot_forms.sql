-- The method of each wave and the forms of an approval or ranked ballot (contract §5).
-- wave_methods(w): each wave's method, empty read as single. NULL w: every wave.
CREATE OR REPLACE TEMP MACRO wave_methods(w) AS TABLE
SELECT wave_id, coalesce(method, 'single') AS method
FROM waves
WHERE w IS NULL OR wave_id = w;

-- The options of an approval (';') or ranked ('>') choice, in the order written, each
-- with its surrounding spaces trimmed.
CREATE OR REPLACE TEMP MACRO ballot_parts(choice, method) AS
    list_transform(string_split(choice, CASE method WHEN 'approval' THEN ';' ELSE '>' END),
                   lambda part: trim(part));

-- Every choice written in a contest of an approval or ranked wave that is a valid ballot
-- of its method: no empty part, no option twice, each option NO_ENDORSEMENT or a candidate
-- on the ballot, and in an approval NO_ENDORSEMENT only alone. vote_status reads a choice
-- of such a wave that is not here as not_on_ballot. NULL w: every wave.
CREATE OR REPLACE TEMP MACRO ballot_forms(w) AS TABLE
WITH written AS (
    SELECT DISTINCT v.wave_id, v.race_id, v.choice, m.method
    FROM votes v
    JOIN wave_methods(w) m ON m.wave_id = v.wave_id
    WHERE m.method <> 'single'
), parts AS (
    SELECT wave_id, race_id, choice, method, ballot_parts(choice, method) AS options
    FROM written
), options AS (
    SELECT wave_id, race_id, choice, method, len(options) AS written_options,
        unnest(options) AS option
    FROM parts
)
SELECT o.wave_id, o.race_id, o.choice
FROM options o
LEFT JOIN ballot(w) b
    ON b.wave_id = o.wave_id AND b.race_id = o.race_id AND b.candidate_id = o.option
GROUP BY o.wave_id, o.race_id, o.choice, o.method, o.written_options
HAVING bool_and(o.option = 'NO_ENDORSEMENT' OR b.candidate_id IS NOT NULL)
   AND count(DISTINCT o.option) = o.written_options
   AND (o.method = 'ranked' OR o.written_options = 1
        OR bool_and(o.option <> 'NO_ENDORSEMENT'));
