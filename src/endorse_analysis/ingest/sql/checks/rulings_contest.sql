-- A ruling is on a contest of its wave, and an ENDORSE ruling names a candidate on that
-- contest's ballot (the same ballot and contests relations as the tally).
SELECT r.rowid, 'race_id', 'is not a contest of wave ' || r.wave_id, NULL
FROM rulings r
WHERE NOT EXISTS (SELECT 1 FROM contests(NULL) c WHERE c.wave_id = r.wave_id AND c.race_id = r.race_id)
UNION ALL
SELECT r.rowid, 'candidate_id', 'is not on the ballot of ' || r.race_id || ' in wave ' || r.wave_id, NULL
FROM rulings r
WHERE r.decision = 'ENDORSE'
  AND EXISTS (SELECT 1 FROM contests(NULL) c WHERE c.wave_id = r.wave_id AND c.race_id = r.race_id)
  AND NOT EXISTS (SELECT 1 FROM ballot(NULL) b WHERE b.wave_id = r.wave_id
                  AND b.race_id = r.race_id AND b.candidate_id = r.candidate_id)
ORDER BY 1
