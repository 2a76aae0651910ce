-- A member's district from their ZIP code (data/reference/zcta-districts-2024-lines.csv,
-- loaded as zcta_districts): the one district of the 2024 lines that their ZIP's ZCTA
-- overlaps, when that ZCTA lies in exactly one district of one state and that state is
-- the member's. Otherwise the district is unknown, and `zip_way` says why.
CREATE OR REPLACE TEMP TABLE zcta_one AS
SELECT zcta, count(*) AS districts, any_value(state) AS state, any_value(district) AS district
FROM zcta_districts
GROUP BY zcta;

CREATE OR REPLACE TEMP TABLE people_zip AS
SELECT p.rowid AS record,
       CASE WHEN z.districts = 1 AND z.state = upper(trim(p.state))
            THEN CAST(z.district AS VARCHAR) END AS district,
       CASE WHEN p.zip IS NULL THEN 'empty'
            WHEN zip5(p.zip) IS NULL OR z.zcta IS NULL THEN 'unknown'
            WHEN z.districts > 1 THEN 'several'
            WHEN z.state <> upper(trim(coalesce(p.state, ''))) THEN 'other_state'
            ELSE 'one' END AS zip_way
FROM export_people p
LEFT JOIN zcta_one z ON z.zcta = zip5(p.zip);
