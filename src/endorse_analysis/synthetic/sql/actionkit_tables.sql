-- A program's members and votes (csv_members, csv_votes, csv_candidates: the files as
-- text) as an ActionKit database would hold them: each table ak_<name> has the columns
-- of that ActionKit table it fills. Times are UTC, whole seconds (ActionKit's DATETIME).
--
-- What the import must see through: a tenth of the users have their district in the
-- geographic field us_district_redistrict2026 and an old one in core_location; opted-out
-- users are 'unsubscribed' with the time in core_subscriptionhistory, some after an
-- earlier unsubscribe and resubscribe; some subscribed users once unsubscribed, and some
-- bounced and subscribed again; incomplete actions and a petition page's actions
-- are not votes; some actions carry another field than the answer.

CREATE OR REPLACE TEMP TABLE user_ids AS
SELECT clean(member_id) AS member_id, CAST(row_number() OVER (ORDER BY rowid) AS BIGINT) AS id
FROM csv_members;

-- A vote's member that is not in the member list: a user since deleted (no core_user row).
CREATE OR REPLACE TEMP TABLE vote_user_ids AS
SELECT * FROM user_ids
UNION ALL
SELECT member_id, (SELECT max(id) FROM user_ids) + row_number() OVER (ORDER BY member_id)
FROM (SELECT DISTINCT clean(member_id) AS member_id FROM csv_votes
      WHERE clean(member_id) NOT IN (SELECT member_id FROM user_ids));

CREATE OR REPLACE TEMP TABLE ak_members AS
SELECT u.id,
       parse_ts(clean(m.signed_up_at)) AS created_at,
       parse_ts(clean(m.opted_out_at)) AS opted_out_at,
       coalesce(clean(m.state), '') AS state,
       CASE WHEN regexp_full_match(clean(m.district), '[+-]?[0-9]+')
                 AND TRY_CAST(clean(m.district) AS BIGINT) BETWEEN 0 AND 99
                 AND clean(m.state) IS NOT NULL
            THEN upper(clean(m.state)) || '_' || lpad(CAST(CAST(clean(m.district) AS BIGINT) AS VARCHAR), 2, '0')
       END AS us_district,
       clean(m.district) IS NOT NULL AS district_given
FROM csv_members m JOIN user_ids u ON u.member_id = clean(m.member_id);

CREATE OR REPLACE TEMP TABLE ak_user AS
SELECT id, created_at, coalesce(opted_out_at, created_at) AS updated_at,
       'user' || id || '@example.org' AS email,
       CASE WHEN opted_out_at IS NOT NULL THEN 'unsubscribed' ELSE 'subscribed' END
           AS subscription_status,
       state
FROM ak_members;

-- A district written but not a number of two digits at most (or with no state): a
-- location with an empty district, as a geocoder that failed leaves it.
CREATE OR REPLACE TEMP TABLE ak_location AS
SELECT created_at, created_at AS updated_at, id AS user_id,
       CASE WHEN id % 10 = 3 AND us_district IS NOT NULL THEN upper(state) || '_99'
            ELSE coalesce(us_district, '') END AS us_district
FROM ak_members
WHERE district_given;

CREATE OR REPLACE TEMP TABLE ak_usergeofield AS
SELECT created_at, created_at AS updated_at, id AS user_id,
       'us_district_redistrict2026' AS name, us_district AS value
FROM ak_members
WHERE id % 10 = 3 AND us_district IS NOT NULL;

CREATE OR REPLACE TEMP TABLE ak_subscriptionhistory AS
WITH changes AS (
    SELECT id, created_at AS changed, 1 AS change_id FROM ak_members
    UNION ALL  -- the opt-out
    SELECT id, opted_out_at, 5 FROM ak_members WHERE opted_out_at IS NOT NULL
    UNION ALL  -- an earlier unsubscribe and resubscribe before some opt-outs
    SELECT id, created_at + (opted_out_at - created_at) / 3, 4
    FROM ak_members WHERE opted_out_at IS NOT NULL AND id % 7 = 0
    UNION ALL
    SELECT id, created_at + (opted_out_at - created_at) * 2 / 3, 1
    FROM ak_members WHERE opted_out_at IS NOT NULL AND id % 7 = 0
    UNION ALL  -- subscribed members who once left and came back
    SELECT id, created_at + INTERVAL 30 DAY, 5
    FROM ak_members WHERE opted_out_at IS NULL AND id % 11 = 0
    UNION ALL
    SELECT id, created_at + INTERVAL 60 DAY, 1
    FROM ak_members WHERE opted_out_at IS NULL AND id % 11 = 0
    UNION ALL  -- a bounce, then subscribed again
    SELECT id, created_at + INTERVAL 1 DAY, 3
    FROM ak_members WHERE opted_out_at IS NULL AND id % 97 = 0
    UNION ALL
    SELECT id, created_at + INTERVAL 2 DAY, 1
    FROM ak_members WHERE opted_out_at IS NULL AND id % 97 = 0
)
SELECT date_trunc('second', changed) AS created_at, date_trunc('second', changed) AS updated_at,
       id AS user_id, 1 AS list_id, change_id
FROM changes
ORDER BY changed, id;

CREATE OR REPLACE TEMP TABLE ak_votes AS
SELECT parse_int(clean(v.vote_id)) AS id,
       clean(v.wave_id) AS wave_id, clean(v.race_id) AS race_id, clean(v.choice) AS choice,
       u.id AS user_id,
       parse_ts(clean(v.cast_at)) AS created_at
FROM csv_votes v JOIN vote_user_ids u ON u.member_id = clean(v.member_id);

-- One ballot page per contest the votes name (a vote of an unknown wave or race too).
CREATE OR REPLACE TEMP TABLE ak_ballot_pages AS
SELECT CAST(row_number() OVER (ORDER BY wave_id, race_id) AS BIGINT) AS id, wave_id, race_id
FROM (SELECT DISTINCT wave_id, race_id FROM ak_votes);

CREATE OR REPLACE TEMP TABLE ak_page AS
SELECT id, TIMESTAMP '2026-01-05 12:00:00' AS created_at,
       TIMESTAMP '2026-01-05 12:00:00' AS updated_at,
       'Endorsement vote ' || id AS title, 'ballot-' || lpad(CAST(id AS VARCHAR), 6, '0') AS name
FROM ak_ballot_pages
UNION ALL
SELECT (SELECT count(*) + 1 FROM ak_ballot_pages), TIMESTAMP '2026-01-05 12:00:00',
       TIMESTAMP '2026-01-05 12:00:00', 'Save the bees', 'petition-save-the-bees'
ORDER BY id;

-- The answer each page shows for each choice its votes name: the candidate's name, the
-- words "No endorsement", or the choice itself; made unique within the page.
CREATE OR REPLACE TEMP TABLE ak_answers AS
WITH named AS (
    SELECT DISTINCT p.id AS page_id, v.choice,
           CASE WHEN v.choice = 'NO_ENDORSEMENT' THEN 'No endorsement'
                ELSE coalesce(c.name, v.choice) END AS label
    FROM ak_votes v
    JOIN ak_ballot_pages p ON p.wave_id = v.wave_id AND p.race_id = v.race_id
    LEFT JOIN (SELECT clean(candidate_id) AS candidate_id, clean(name) AS name
               FROM csv_candidates) c ON c.candidate_id = v.choice
)
SELECT page_id, choice,
       CASE WHEN count(*) OVER (PARTITION BY page_id, label) > 1
            THEN label || ' [' || choice || ']' ELSE label END AS answer
FROM named;

-- Every action, with the vote it stands for (vote_id: not a column of core_action).
CREATE OR REPLACE TEMP TABLE ak_action AS
WITH ballots AS (
    SELECT v.*, p.id AS page_id
    FROM ak_votes v JOIN ak_ballot_pages p ON p.wave_id = v.wave_id AND p.race_id = v.race_id
), top AS (SELECT max(id) AS n FROM ak_votes)
SELECT id, created_at, created_at AS updated_at, user_id, page_id, 'complete' AS status,
       id AS vote_id
FROM ballots
UNION ALL  -- an abandoned submission on a ballot page: never a vote
SELECT top.n + id, created_at, created_at, user_id, page_id, 'incomplete', id
FROM ballots, top WHERE id % 50 = 7
UNION ALL  -- a petition signature: another page
SELECT 2 * top.n + id, created_at, created_at, user_id,
       (SELECT count(*) + 1 FROM ak_ballot_pages), 'complete', id
FROM ballots, top WHERE id % 40 = 11
ORDER BY 1;

CREATE OR REPLACE TEMP TABLE ak_actionfield AS
SELECT a.id AS parent_id, 'endorse_choice' AS name, coalesce(l.answer, v.choice) AS value
FROM ak_action a
JOIN ak_votes v ON v.id = a.vote_id
LEFT JOIN ak_answers l ON l.page_id = a.page_id AND l.choice = v.choice
UNION ALL  -- another field on some ballots
SELECT id, 'comment', 'see you at the meeting' FROM ak_votes WHERE id % 13 = 5
ORDER BY 1;
