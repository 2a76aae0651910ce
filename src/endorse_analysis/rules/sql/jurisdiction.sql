-- Who belongs to a race (docs/rules.md §3, Jurisdiction), and who may vote in a wave.

-- A member (state, district) is in a race's jurisdiction: a House race covers its state
-- and district; a member whose district is unknown (NULL) belongs only to statewide races
-- and to the House race of an at-large state (district 0). A member whose state is not
-- one of the 50 states and DC (NULL) is in no jurisdiction.
CREATE OR REPLACE TEMP MACRO member_in_race(m_state, m_district, r_office, r_state, r_district) AS
    coalesce(m_state = r_state AND (
        r_office <> 'house'
        OR m_district = r_district
        OR (m_district IS NULL AND r_district = 0)), false);

-- A group counts for a race of its state; for a House race, a group with a district counts
-- only there, and a statewide group (no district) counts for every House race of its state.
CREATE OR REPLACE TEMP MACRO group_in_race(g_state, g_district, r_office, r_state, r_district) AS
    coalesce(g_state = r_state AND (
        r_office <> 'house'
        OR g_district IS NULL
        OR g_district = r_district), false);

-- A member signed up before the wave's sign-up deadline (closes_at when there is none) and
-- had not opted out before it opened.
CREATE OR REPLACE TEMP MACRO signed_up_for_wave(signed_up_at, opted_out_at, opens_at, closes_at, signup_closes_at) AS
    coalesce(signed_up_at < coalesce(signup_closes_at, closes_at)
             AND (opted_out_at IS NULL OR opted_out_at >= opens_at), false);
