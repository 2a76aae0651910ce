-- A member's geography never refuses a load (contract §2). A state that is not one of the
-- 50 states and DC puts the member in no jurisdiction (NULL); a district that is not a
-- whole number or does not exist in the state is unknown (NULL). house_seats(state) is
-- defined by the loader from data/reference/states.csv.
CREATE OR REPLACE TEMP MACRO member_state(v) AS
    CASE WHEN house_seats(upper(v)) IS NOT NULL THEN upper(v) END;

CREATE OR REPLACE TEMP MACRO member_district(state, v) AS
    CASE WHEN house_seats(state) = 1 AND parse_int(v) = 0 THEN 0
         WHEN house_seats(state) > 1 AND parse_int(v) BETWEEN 1 AND house_seats(state)
             THEN parse_int(v) END;
