-- When each user last unsubscribed: the latest history row of an unsubscribe change.
SELECT user_id, max(created_at) AS unsubscribed_at
FROM core_subscriptionhistory
WHERE change_id IN ({change_ids})
GROUP BY user_id
