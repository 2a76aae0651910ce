-- A ruling to ENDORSE names its candidate; a ruling of NO_ENDORSEMENT names none. Whether
-- the contest exists and the candidate is on its ballot is checked once the snapshot's
-- tables are written (sql/checks/rulings_contest.sql).
SELECT rowid, 'candidate_id',
       CASE WHEN decision = 'ENDORSE' THEN 'is empty; a ruling to ENDORSE names its candidate'
            ELSE 'must be empty when the ruling is NO_ENDORSEMENT' END, NULL
FROM t_rulings
WHERE (decision = 'ENDORSE' AND candidate_id IS NULL)
   OR (decision = 'NO_ENDORSEMENT' AND candidate_id IS NOT NULL)
ORDER BY rowid
