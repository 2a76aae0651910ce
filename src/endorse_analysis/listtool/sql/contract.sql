-- From a list tool's members and votes, staged as src_members and src_votes by the source's
-- reader, to the contract's members.csv and votes.csv (docs/rules.md §2). Every source goes
-- through these same macros: a district is read one way, an answer is mapped one way.
-- `record` is where a row came from: a line of an export, or an id in the database.

-- A congressional district as written by a list tool: 'MO_02' (ActionKit's us_district),
-- 'MO-02', 'MO_AL' (at large), or a bare number. In a state that elects one member at
-- large (and DC), 'VT_00', 'VT_01', 'VT_AL' and 'VT-AL' are all its one district, 0. A
-- district of another state than the member's, or any other text, is NULL: unknown, as
-- the load treats it.
CREATE OR REPLACE TEMP MACRO district_number(state, text) AS
    CASE
        WHEN regexp_full_match(trim(text), '[0-9]{1,9}') THEN CAST(trim(text) AS BIGINT)
        WHEN regexp_full_match(trim(text), '[A-Za-z]{2}[_-]([0-9]{1,2}|AL|al)')
             AND upper(left(trim(text), 2)) = upper(trim(state))
            THEN CASE WHEN upper(substr(trim(text), 4)) = 'AL' THEN 0
                      WHEN upper(trim(state)) IN ('AK', 'DE', 'ND', 'SD', 'VT', 'WY', 'DC')
                           AND CAST(substr(trim(text), 4) AS BIGINT) IN (0, 1) THEN 0
                      ELSE CAST(substr(trim(text), 4) AS BIGINT) END
    END;

-- A timestamp as the contract writes one: UTC, marked Z (a space stands for T).
CREATE OR REPLACE TEMP MACRO contract_time(ts) AS CAST(ts AS VARCHAR) || 'Z';

-- The choice of each answer written on a ranked or approval page (contract §5): its
-- answers, split on the page's separator (or on chr(31), which joins an export's rank
-- columns), trimmed, empty ones skipped, each mapped through the page's answers in order
-- and joined by '>' (ranked) or ';' (approval); NULL where one is not mapped.
CREATE OR REPLACE TEMP MACRO answer_choices() AS TABLE
WITH written AS (
    SELECT DISTINCT v.page, v.answer, p.wave_id, p.race_id, p.method,
        list_filter(
            list_transform(string_split(replace(v.answer, chr(31), p.separator), p.separator),
                           lambda a: trim(a)),
            lambda a: a <> '') AS answers
    FROM src_votes v
    JOIN pages p ON p.page = v.page
    WHERE p.method <> 'single' AND v.answer IS NOT NULL
), parts AS (
    SELECT *, unnest(range(1, len(answers) + 1)) AS position FROM written
)
SELECT s.page, s.answer, s.wave_id, s.race_id,
    CASE WHEN count(a.choice) < count(*) OR count(*) = 0 THEN NULL
         WHEN s.method = 'ranked' THEN array_to_string(list(a.choice ORDER BY s.position), '>')
         ELSE array_to_string(list(a.choice ORDER BY s.position), ';') END AS choice
FROM parts s
LEFT JOIN page_answers a ON a.page = s.page AND a.answer = s.answers[s.position]
GROUP BY s.page, s.answer, s.wave_id, s.race_id, s.method;

-- Every staged vote with its contest and its choice: NULL where the program does not map
-- its answer on its page (one join with the pages' answers, or their forms of §5).
-- Written once, in order.
CREATE OR REPLACE TEMP MACRO mapped_votes() AS TABLE
SELECT v.*, m.wave_id, m.race_id, m.choice
FROM src_votes v
LEFT JOIN (SELECT a.page, a.answer, p.wave_id, p.race_id, a.choice
           FROM page_answers a JOIN pages p ON p.page = a.page
           WHERE p.method = 'single'
           UNION ALL
           SELECT page, answer, wave_id, race_id, choice FROM answer_choices()) m
    ON m.page = v.page AND m.answer = v.answer
ORDER BY v.record;

-- Every member with the district read, in the members' order (members_out), and whether
-- a district was written at all (an unread one is said in a warning).
CREATE OR REPLACE TEMP MACRO read_members() AS TABLE
SELECT record, member_id, coalesce(trim(state), '') AS state,
       district_number(state, district_text) AS district,
       signed_up_at, opted_out_at, opt_out_problem,
       nullif(trim(district_text), '') IS NOT NULL AS district_given
FROM src_members
ORDER BY record;

-- Each mapping is computed once, in the rows' order; the problems and the files read it.
CREATE OR REPLACE TEMP TABLE votes_out AS SELECT * FROM mapped_votes();
CREATE OR REPLACE TEMP TABLE members_out AS SELECT * FROM read_members();
DROP VIEW src_votes;
DROP VIEW src_members;

-- What is wrong with the members (members_out), one row per problem: (record, column,
-- value, message). No personal value is shown, only the row and its id. A repeated id is
-- looked for only where the source does not rule it out (`repeats`).
CREATE OR REPLACE TEMP MACRO member_problems(repeats) AS TABLE
SELECT record, 'member_id' AS col, NULL AS value, 'is empty' AS message
FROM members_out WHERE member_id IS NULL
UNION ALL
SELECT record, 'member_id', member_id, 'repeats a member id of an earlier row'
FROM (SELECT record, member_id,
             row_number() OVER (PARTITION BY member_id ORDER BY record) AS n
      FROM members_out
      WHERE repeats
        AND member_id IN (SELECT member_id FROM members_out GROUP BY ALL HAVING count(*) > 1))
WHERE n > 1
UNION ALL
SELECT record, 'signed_up_at', CAST(member_id AS VARCHAR),
       'has no sign-up time that reads as a timestamp (member id shown)'
FROM members_out WHERE signed_up_at IS NULL
UNION ALL
SELECT record, 'opted_out_at', CAST(member_id AS VARCHAR), opt_out_problem
FROM members_out WHERE opt_out_problem IS NOT NULL;

-- What is wrong with the votes (votes_out: mapped_votes written): an answer the program
-- does not map, none, or several; an id, member or time that is missing or unreadable.
CREATE OR REPLACE TEMP MACRO vote_problems(repeats) AS TABLE
SELECT record, 'answer' AS col,
    CASE WHEN answers = 1 THEN answer END AS value,
    CASE WHEN answers = 0 THEN 'has no answer (page ' || page || ')'
         WHEN answers > 1 THEN 'has ' || answers || ' different answers (page ' || page || ')'
         ELSE 'is not an answer the program maps for page ' || page END AS message
FROM votes_out
WHERE answers <> 1 OR choice IS NULL
UNION ALL
SELECT record, 'vote_id', vote_text, 'is not a whole number of 1 or more'
FROM votes_out WHERE vote_id IS NULL OR vote_id < 1
UNION ALL
SELECT record, 'vote_id', CAST(vote_id AS VARCHAR), 'repeats the vote id of an earlier row'
FROM (SELECT record, vote_id, row_number() OVER (PARTITION BY vote_id ORDER BY record) AS n
      FROM votes_out
      WHERE repeats
        AND vote_id IN (SELECT vote_id FROM votes_out GROUP BY ALL HAVING count(*) > 1))
WHERE n > 1
UNION ALL
SELECT record, 'member_id', NULL, 'is empty' FROM votes_out WHERE member_id IS NULL
UNION ALL
SELECT record, 'cast_at', cast_text, 'is not a timestamp'
FROM votes_out WHERE cast_at IS NULL;

-- members.csv: every member, the opt-out where there is one.
CREATE OR REPLACE TEMP MACRO contract_members() AS TABLE
SELECT member_id, state, district, contract_time(signed_up_at) AS signed_up_at,
       contract_time(opted_out_at) AS opted_out_at
FROM members_out;

-- votes.csv: every vote of a mapped page, its answer as the program's choice. Re-votes
-- are all kept: the load's rules decide which one counts.
CREATE OR REPLACE TEMP MACRO contract_votes() AS TABLE
SELECT vote_id, wave_id, race_id, member_id, choice, contract_time(cast_at) AS cast_at
FROM votes_out;
