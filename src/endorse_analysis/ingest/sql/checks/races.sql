-- A race is in one of the 50 states (never DC); a House race has a district of its state
-- (0 in an at-large state, else 1..seats); a Senate or governor race has none.
SELECT r.rowid, 'state',
       CASE WHEN r.state = 'DC' THEN 'has no race: DC elects no House member, senator or governor'
            ELSE 'is not a USPS code of the 50 states' END, NULL
FROM t_races r LEFT JOIN ref_states s ON s.state = r.state
WHERE r.state IS NOT NULL AND (s.state IS NULL OR s.state = 'DC')
UNION ALL
SELECT r.rowid, 'district',
       CASE WHEN r.office = 'house' AND r.district IS NULL THEN 'is empty; a house race needs a district'
            WHEN r.office = 'house' AND s.house_seats = 1
                THEN 'is not a district of ' || s.state || ' (at large: expected 0)'
            WHEN r.office = 'house'
                THEN 'is not a district of ' || s.state || ' (expected 1 to ' || s.house_seats || ')'
            ELSE 'must be empty for a ' || r.office || ' race' END, NULL
FROM t_races r JOIN ref_states s ON s.state = r.state
WHERE s.state <> 'DC' AND r.office IS NOT NULL AND NOT (
    (r.office = 'house' AND r.district IS NOT NULL AND (
        (s.house_seats = 1 AND r.district = 0)
        OR (s.house_seats > 1 AND r.district BETWEEN 1 AND s.house_seats)))
    OR (r.office <> 'house' AND r.district IS NULL))
ORDER BY 1
