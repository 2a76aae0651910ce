SELECT rowid, 'vote_id', 'must be 1 or more', NULL
FROM t_votes
WHERE vote_id < 1
ORDER BY rowid
