-- A group is in one of the 50 states or DC; its district, when given, exists in its state.
SELECT g.rowid, 'state', 'is not a USPS code of the 50 states or DC', NULL
FROM t_groups g LEFT JOIN ref_states s ON s.state = g.state
WHERE g.state IS NOT NULL AND s.state IS NULL
UNION ALL
SELECT g.rowid, 'district',
       CASE WHEN s.house_seats = 0 THEN 'is not a district of ' || s.state || ' (it has none: leave it empty)'
            WHEN s.house_seats = 1 THEN 'is not a district of ' || s.state || ' (at large: expected 0 or empty)'
            ELSE 'is not a district of ' || s.state || ' (expected 1 to ' || s.house_seats || ' or empty)' END, NULL
FROM t_groups g JOIN ref_states s ON s.state = g.state
WHERE g.district IS NOT NULL AND NOT (
    (s.house_seats = 1 AND g.district = 0)
    OR (s.house_seats > 1 AND g.district BETWEEN 1 AND s.house_seats))
ORDER BY 1
