-- Every change of an unsubscribing type, on any list (the staging keeps each user's
-- latest). The time is read as text: a zero date is skipped, and counted, by the staging.
SELECT user_id, change_id, CAST(created_at AS CHAR) AS created_at
FROM core_subscriptionhistory
WHERE change_id IN ({change_ids})
