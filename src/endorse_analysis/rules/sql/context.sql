-- The political context of the races of wave w (NULL: every race): the 2024 presidential
-- result of a House race's own district; of a Senate or governor race, the districts of
-- its state together (vote-weighted: the Republican two-party votes of all the districts
-- over their two-party votes). rep_votes is share x two-party votes, an exact decimal.
-- A race with no district row (a redrawn district, a special election) has NULL figures.
CREATE OR REPLACE TEMP MACRO race_context(w) AS TABLE
WITH per_district AS (
    SELECT state, district, description, largest_place,
        pres2024_rep_two_party_share * pres2024_two_party_votes AS rep_votes,
        pres2024_two_party_votes AS two_party_votes,
        pres2024_total_votes AS total_votes
    FROM districts
), per_state AS (
    SELECT state, sum(rep_votes) AS rep_votes, sum(two_party_votes) AS two_party_votes,
        sum(total_votes) AS total_votes, count(*) AS districts
    FROM per_district
    GROUP BY state
)
SELECT r.race_id, r.office, r.state, r.district,
    d.description, d.largest_place,
    CASE WHEN r.office = 'house' THEN d.rep_votes ELSE s.rep_votes END AS rep_votes,
    CAST(CASE WHEN r.office = 'house' THEN d.two_party_votes ELSE s.two_party_votes END
         AS BIGINT) AS two_party_votes,
    CAST(CASE WHEN r.office = 'house' THEN d.total_votes ELSE s.total_votes END
         AS BIGINT) AS total_votes,
    CAST(CASE WHEN r.office = 'house' THEN (d.state IS NOT NULL)::INT ELSE s.districts END
         AS BIGINT) AS districts
FROM races r
LEFT JOIN per_district d ON r.office = 'house' AND d.state = r.state AND d.district = r.district
LEFT JOIN per_state s ON r.office <> 'house' AND s.state = r.state
WHERE w IS NULL OR r.race_id IN (SELECT race_id FROM contests(w))
ORDER BY r.race_id;
