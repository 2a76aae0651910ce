-- ActionKit's rows, read into the Arrow tables ak_<query> (sql/actionkit/*.sql), seen as
-- the list tool's members and votes (sql/contract.sql): views, computed once, when
-- contract.sql writes them out. DATETIME columns hold the
-- database's local clock, the variable ak_tz; the contract's times are UTC. The variable
-- ak_opted_out lists the subscription statuses that mean a member opted out.
-- A clock of UTC needs no conversion (a conversion per value costs seconds per million).
CREATE OR REPLACE TEMP MACRO ak_utc(ts) AS
    CASE WHEN getvariable('ak_tz') = 'UTC' THEN ts
         ELSE timezone('UTC', timezone(getvariable('ak_tz'), ts)) END;
CREATE OR REPLACE TEMP MACRO ak_opted_out(status) AS
    list_contains(getvariable('ak_opted_out'), status);

CREATE OR REPLACE TEMP VIEW src_members AS
SELECT u.id AS record,
       u.id AS member_id,  -- written as digits, as any id
       nullif(trim(u.state), '') AS state,
       -- The named geographic field wins where a user has one (a redistricted map).
       coalesce(g.value, l.us_district) AS district_text,
       ak_utc(u.created_at) AS signed_up_at,
       -- The time of the last unsubscribe; without a history row, the user's last change.
       CASE WHEN ak_opted_out(u.subscription_status)
            THEN ak_utc(coalesce(s.unsubscribed_at, u.updated_at)) END AS opted_out_at,
       CAST(NULL AS VARCHAR) AS opt_out_problem
FROM ak_users u
LEFT JOIN ak_locations l ON l.user_id = u.id
LEFT JOIN (SELECT user_id, arg_max(value, id) AS value FROM ak_geofields GROUP BY user_id) g
    ON g.user_id = u.id
LEFT JOIN (SELECT user_id, max(created_at) AS unsubscribed_at FROM ak_unsubscribes GROUP BY ALL) s
    ON s.user_id = u.id;

-- One row per complete action on a ballot page, with its answer: the one value of its
-- answer field, or how many different values it has (0 or several is a problem). Only
-- the rare action with several answer rows is grouped, not the millions with one.
CREATE OR REPLACE TEMP VIEW src_votes AS
WITH several AS (
    SELECT parent_id, count(DISTINCT trim(value)) AS answers, trim(min(value)) AS answer
    FROM ak_answers
    WHERE parent_id IN (SELECT parent_id FROM ak_answers GROUP BY ALL HAVING count(*) > 1)
    GROUP BY parent_id
), single AS (
    SELECT parent_id, trim(value) AS answer
    FROM ak_answers
    WHERE parent_id NOT IN (SELECT parent_id FROM several)
)
SELECT a.id AS record,
       CAST(a.id AS BIGINT) AS vote_id,
       CAST(NULL AS VARCHAR) AS vote_text,
       a.user_id AS member_id,
       p.name AS page,
       coalesce(s.answer, m.answer) AS answer,
       CASE WHEN s.parent_id IS NOT NULL THEN 1 ELSE coalesce(m.answers, 0) END AS answers,
       ak_utc(a.created_at) AS cast_at,
       CAST(NULL AS VARCHAR) AS cast_text
FROM ak_actions a
JOIN ak_pages p ON p.id = a.page_id
LEFT JOIN single s ON s.parent_id = a.id
LEFT JOIN several m ON m.parent_id = a.id;

-- How many opted-out users have no unsubscribe in the history (their time is assumed).
CREATE OR REPLACE TEMP MACRO opt_out_times_assumed() AS TABLE
SELECT count(*) AS users
FROM ak_users
WHERE ak_opted_out(subscription_status)
  AND id NOT IN (SELECT user_id FROM ak_unsubscribes);
