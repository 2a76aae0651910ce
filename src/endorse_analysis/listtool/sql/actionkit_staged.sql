-- ActionKit's rows, read into the Arrow tables ak_<query> (sql/actionkit/*.sql), staged as
-- the list tool's members and votes (sql/contract.sql). DATETIME columns hold the
-- database's local clock, the variable ak_tz; the contract's times are UTC. The variable
-- ak_opted_out lists the subscription statuses that mean a member opted out.
CREATE OR REPLACE TEMP MACRO ak_utc(ts) AS timezone('UTC', timezone(getvariable('ak_tz'), ts));
CREATE OR REPLACE TEMP MACRO ak_opted_out(status) AS
    list_contains(getvariable('ak_opted_out'), status);

CREATE OR REPLACE TEMP TABLE src_members AS
SELECT u.id AS record,
       CAST(u.id AS VARCHAR) AS member_id,
       nullif(trim(u.state), '') AS state,
       -- The named geographic field wins where a user has one (a redistricted map).
       coalesce(g.value, l.us_district) AS district_text,
       ak_utc(u.created_at) AS signed_up_at,
       -- The time of the last unsubscribe; without a history row, the user's last change.
       CASE WHEN ak_opted_out(u.subscription_status)
            THEN ak_utc(coalesce(s.unsubscribed_at, u.updated_at)) END AS opted_out_at,
       CAST(NULL AS VARCHAR) AS opt_out_problem,
       ak_opted_out(u.subscription_status) AND s.unsubscribed_at IS NULL AS opt_out_time_assumed
FROM ak_users u
LEFT JOIN ak_locations l ON l.user_id = u.id
LEFT JOIN (SELECT user_id, arg_max(value, id) AS value FROM ak_geofields GROUP BY user_id) g
    ON g.user_id = u.id
LEFT JOIN ak_unsubscribes s ON s.user_id = u.id;

-- One row per complete action on a ballot page, with its answer: the one value of its
-- answer field, or how many different values it has (0 or several is a problem).
CREATE OR REPLACE TEMP TABLE src_votes AS
WITH answered AS (
    SELECT parent_id, count(DISTINCT trim(value)) AS answers, min(trim(value)) AS answer
    FROM ak_answers
    GROUP BY parent_id
)
SELECT a.id AS record,
       CAST(a.id AS BIGINT) AS vote_id,
       CAST(a.id AS VARCHAR) AS vote_text,
       CAST(a.user_id AS VARCHAR) AS member_id,
       p.name AS page,
       f.answer,
       coalesce(f.answers, 0) AS answers,
       ak_utc(a.created_at) AS cast_at,
       CAST(a.created_at AS VARCHAR) AS cast_text
FROM ak_actions a
JOIN ak_pages p ON p.id = a.page_id
LEFT JOIN answered f ON f.parent_id = a.id;
