-- A member's geography never refuses a load (docs/rules.md §2). A state that is not one of the
-- 50 states and DC puts the member in no jurisdiction (NULL); a district that is not a
-- whole number or does not exist in the state is unknown (NULL). t_members holds the text
-- as written; this places each member once, as the snapshot's members table is written.
-- member_key numbers the members in the file's order: the votes carry it too (NULL for a
-- member not on the list), so that classifying them groups and joins on an integer.
CREATE TABLE members AS
SELECT m.member_id, s.state,
       CAST(CASE WHEN s.house_seats = 1 AND parse_int(m.district) = 0 THEN 0
                 WHEN s.house_seats > 1 AND parse_int(m.district) BETWEEN 1 AND s.house_seats
                     THEN parse_int(m.district) END AS BIGINT) AS district,
       m.signed_up_at, m.opted_out_at, CAST(m.rowid AS INTEGER) AS member_key
FROM t_members m LEFT JOIN ref_states s ON s.state = upper(m.state);

-- Each member as placed, by record, with whether a district was written: what the load's
-- warnings list (a view: they read only the few members left unplaced).
CREATE TEMP VIEW member_places AS
SELECT p.member_key AS record, p.state, p.district, m.district IS NOT NULL AS district_given
FROM members p JOIN t_members m ON m.rowid = p.member_key;
