-- The calendar and seat of every race. The primary and runoff dates of the race's cycle
-- for its office: a row of its state naming the office (Louisiana's House) overrides the
-- state's row for every office (office NULL). Whether its cycle has a calendar or seat
-- file at all, and the seat's holder by seat (state and district, or state and Senate):
-- a listed seat with a NULL incumbent is vacant. Governors are not in the seat files.
CREATE OR REPLACE TEMP MACRO race_calendar() AS TABLE
SELECT r.race_id, r.office, r.state, r.district, r.cycle,
    CASE WHEN po.state IS NOT NULL THEN po.primary_date ELSE ps.primary_date END
        AS primary_date,
    CASE WHEN po.state IS NOT NULL THEN po.runoff_date ELSE ps.runoff_date END
        AS runoff_date,
    CASE WHEN po.state IS NOT NULL THEN po.note ELSE ps.note END AS calendar_note,
    coalesce(r.cycle IN (SELECT cycle FROM primaries), false) AS cycle_has_calendar,
    coalesce(r.cycle IN (SELECT cycle FROM incumbents), false) AS cycle_has_seats,
    i.race_id IS NOT NULL AS seat_listed,
    i.incumbent, i.party AS incumbent_party, i.in_seat_since
FROM races r
LEFT JOIN primaries po ON po.cycle = r.cycle AND po.state = r.state AND po.office = r.office
LEFT JOIN primaries ps ON ps.cycle = r.cycle AND ps.state = r.state AND ps.office IS NULL
LEFT JOIN incumbents i ON i.cycle = r.cycle AND i.state = r.state AND i.office = r.office
    AND (r.office <> 'house' OR i.district = r.district)
ORDER BY r.race_id;
