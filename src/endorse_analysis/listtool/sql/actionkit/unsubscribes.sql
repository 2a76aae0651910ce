-- Every unsubscribe in the subscription history (the staging keeps each user's latest).
SELECT user_id, created_at FROM core_subscriptionhistory WHERE change_id IN ({change_ids})
