-- A member's geography never refuses a load (contract §2): a state that is not one of the
-- 50 states and DC puts the member in no jurisdiction; a district that is not a whole number
-- or does not exist in the state is unknown.
CREATE TEMP TABLE member_geography AS
SELECT m._row,
       s.state,
       CASE WHEN s.house_seats = 1 AND parse_int(m.district) = 0 THEN 0
            WHEN s.house_seats > 1 AND parse_int(m.district) BETWEEN 1 AND s.house_seats
                THEN parse_int(m.district) END AS district,
       s.state IS NULL AS bad_state,
       s.state IS NOT NULL AND m.district IS NOT NULL AND NOT (
           (s.house_seats = 1 AND parse_int(m.district) = 0)
           OR (s.house_seats > 1 AND parse_int(m.district) BETWEEN 1 AND s.house_seats)
       ) AS bad_district
FROM t_members m LEFT JOIN states s ON s.state = upper(m.state);

CREATE OR REPLACE TEMP TABLE t_members AS
SELECT m._row, m.member_id, g.state, CAST(g.district AS BIGINT) AS district,
       m.signed_up_at, m.opted_out_at
FROM t_members m JOIN member_geography g USING (_row)
ORDER BY m._row;
