-- Every complete action on the ballot pages: each becomes a vote, re-votes included.
SELECT id, user_id, page_id, created_at
FROM core_action
WHERE page_id IN ({page_ids}) AND status = 'complete'
