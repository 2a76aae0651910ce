-- Every user: the member id, state, sign-up time, last edit and subscription status. The
-- DATETIMEs are read as text (zero dates such as '0000-00-00 00:00:00' stay readable).
SELECT id, CAST(created_at AS CHAR) AS created_at, CAST(updated_at AS CHAR) AS updated_at,
       state, subscription_status
FROM core_user
