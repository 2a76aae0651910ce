-- ActionKit's rows, read into the Arrow tables ak_<query> (sql/actionkit/*.sql), seen as
-- the list tool's members and votes (sql/contract.sql): views, computed once, when
-- contract.sql writes them out. DATETIME columns arrive as text and hold the database's
-- local clock, the variable ak_tz; the contract's times are UTC. The variable
-- ak_opted_out lists the subscription statuses that mean a user left the list (at their
-- last unsubscribing change, ak_unsubscribes); ak_never_vote says whether a user whose
-- status is 'never' (never on the list) may vote all the same.

-- A DATETIME's text as a timestamp; a zero or impossible date ('0000-00-00 00:00:00',
-- '2025-02-30 …', which MySQL keeps when NO_ZERO_DATE is off) is no value.
CREATE OR REPLACE TEMP MACRO ak_time(text) AS TRY_CAST(text AS TIMESTAMP);
-- A clock of UTC needs no conversion (a conversion per value costs seconds per million).
CREATE OR REPLACE TEMP MACRO ak_utc(ts) AS
    CASE WHEN getvariable('ak_tz') = 'UTC' THEN ts
         ELSE timezone('UTC', timezone(getvariable('ak_tz'), ts)) END;
CREATE OR REPLACE TEMP MACRO ak_status(status) AS lower(trim(status));
CREATE OR REPLACE TEMP MACRO ak_opted_out(status) AS
    list_contains(getvariable('ak_opted_out'), ak_status(status));
CREATE OR REPLACE TEMP MACRO ak_never(status) AS
    ak_status(status) = 'never' AND NOT getvariable('ak_never_vote');

-- Each user's last unsubscribing change that has a readable time, and its type.
CREATE OR REPLACE TEMP TABLE ak_last_unsubscribe AS
SELECT user_id, max(ak_time(created_at)) AS unsubscribed_at,
       arg_max(change_id, ak_time(created_at)) AS change_id
FROM ak_unsubscribes
WHERE ak_time(created_at) IS NOT NULL
GROUP BY user_id;

CREATE OR REPLACE TEMP VIEW src_members AS
SELECT u.id AS record,
       u.id AS member_id,  -- written as digits, as any id
       nullif(trim(u.state), '') AS state,
       -- The named geographic field wins where a user has one (a redistricted map).
       coalesce(g.value, l.us_district) AS district_text,
       ak_utc(ak_time(u.created_at)) AS signed_up_at,
       -- Off the list: at the last unsubscribing change; without one, the user's last
       -- edit. Never on it: since sign-up.
       CASE WHEN ak_opted_out(u.subscription_status)
                THEN ak_utc(coalesce(s.unsubscribed_at, ak_time(u.updated_at)))
            WHEN ak_never(u.subscription_status) THEN ak_utc(ak_time(u.created_at))
       END AS opted_out_at,
       CASE WHEN ak_opted_out(u.subscription_status) AND s.unsubscribed_at IS NULL
                 AND ak_time(u.updated_at) IS NULL
            THEN 'is not a time, and the user left the list with no unsubscribe in '
                 || 'core_subscriptionhistory (user id shown)'
       END AS opt_out_problem
FROM ak_users u
LEFT JOIN ak_locations l ON l.user_id = u.id
LEFT JOIN (SELECT user_id, arg_max(value, id) AS value FROM ak_geofields GROUP BY user_id) g
    ON g.user_id = u.id
LEFT JOIN ak_last_unsubscribe s ON s.user_id = u.id;

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
       ak_utc(ak_time(a.created_at)) AS cast_at,
       a.created_at AS cast_text
FROM ak_actions a
JOIN ak_pages p ON p.id = a.page_id
LEFT JOIN single s ON s.parent_id = a.id
LEFT JOIN several m ON m.parent_id = a.id;

-- What each opt-out rule did: users off the list at an unsubscribing change, at their
-- last edit (no such change), since sign-up (status never), kept (never, yet allowed to
-- vote); and the history rows whose time is a zero or impossible date (skipped).
CREATE OR REPLACE TEMP MACRO opt_out_rules() AS TABLE
SELECT count(*) FILTER (WHERE ak_opted_out(u.subscription_status)
                          AND s.user_id IS NOT NULL) AS by_change,
       count(*) FILTER (WHERE ak_opted_out(u.subscription_status)
                          AND s.user_id IS NULL) AS by_update,
       count(*) FILTER (WHERE ak_never(u.subscription_status)) AS never_out,
       count(*) FILTER (WHERE ak_status(u.subscription_status) = 'never'
                          AND getvariable('ak_never_vote')) AS never_kept,
       (SELECT count(*) FROM ak_unsubscribes WHERE ak_time(created_at) IS NULL) AS zero_dates
FROM ak_users u
LEFT JOIN ak_last_unsubscribe s ON s.user_id = u.id;

-- How many users left the list at a change of each type (their last one).
CREATE OR REPLACE TEMP MACRO opt_outs_by_change() AS TABLE
SELECT s.change_id, count(*) AS users
FROM ak_users u JOIN ak_last_unsubscribe s ON s.user_id = u.id
WHERE ak_opted_out(u.subscription_status)
GROUP BY s.change_id
ORDER BY s.change_id;
