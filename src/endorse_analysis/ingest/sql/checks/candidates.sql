-- NO_ENDORSEMENT is the ballot's other option, never a candidate.
SELECT rowid, 'candidate_id', 'is reserved for the no-endorsement option', NULL
FROM t_candidates
WHERE candidate_id = 'NO_ENDORSEMENT'
ORDER BY rowid
