-- The two member lists of contests of wave w, handed back to the list tool (never to a
-- report). `endorsed` holds (race_id, candidate_id) of the contests asked for: the endorsed
-- candidate where the final decision is ENDORSE, NULL otherwise (no volunteers then).
-- A member who opted out is on neither list: an opt-out means the list tool must not
-- contact them, whatever the reason.
CREATE OR REPLACE TEMP MACRO member_lists(w) AS TABLE
-- The announcement: the contest's potential voters (rules/sql/potential_voters.sql).
SELECT p.race_id, 'announcement' AS list, p.member_id AS user_id
FROM potential_voter_members(w) p
JOIN endorsed e ON e.race_id = p.race_id
WHERE p.opted_out_at IS NULL
UNION ALL
-- The potential volunteers: whose counted ballot chose the endorsed candidate
-- (rules/sql/vote_status.sql).
SELECT v.race_id, 'volunteers', v.member_id
FROM vote_status(w) v
JOIN endorsed e ON e.race_id = v.race_id AND e.candidate_id = v.choice
JOIN members m ON m.member_id = v.member_id
WHERE v.status = 'counted' AND m.opted_out_at IS NULL;
