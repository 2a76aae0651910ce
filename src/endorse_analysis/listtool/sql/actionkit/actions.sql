-- Every complete action on the ballot pages: each becomes a vote, re-votes included. A
-- DATETIME is read as its text (a zero date is no value to the driver), parsed in DuckDB.
SELECT id, user_id, page_id, CAST(created_at AS CHAR) AS created_at
FROM core_action
WHERE page_id IN ({page_ids}) AND status = 'complete'
