-- NO_ENDORSEMENT is the ballot's other option, never a candidate; ';' and '>' separate
-- the options of an approval or ranked ballot (contract §5), so no candidate id holds one.
SELECT rowid, 'candidate_id', 'is reserved for the no-endorsement option', NULL
FROM t_candidates
WHERE candidate_id = 'NO_ENDORSEMENT'
UNION ALL
SELECT rowid, 'candidate_id', 'holds '';'' or ''>'', which separate a ballot''s options', NULL
FROM t_candidates
WHERE contains(candidate_id, ';') OR contains(candidate_id, '>')
ORDER BY rowid
