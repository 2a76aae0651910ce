-- The vetting docket of wave w: one row per requested candidate, i.e. a candidate
-- with at least one endorsement in w that requests national, from any group (a request from
-- outside the race's jurisdiction brings the candidate on the docket too, so staff see it).
--
-- Whether the candidate is on the ballot is NOT decided here: it is the row's membership in
-- ballot(w) (sql/ballot.sql, the one place for the rule). This file only says which rule of
-- docs/rules.md §3 keeps a candidate off, the first one that fails, in the order of the contract:
--   no_local_request  no group in the jurisdiction asked for a national endorsement
--   no_vetting        no vetting row for (candidate, wave)
--   not_cleared       vetting status pending or rejected
--   questionnaire     questionnaire failed or missing
CREATE OR REPLACE TEMP MACRO docket(w) AS TABLE
WITH endorsed AS (
    SELECT e.wave_id, e.candidate_id, c.race_id, e.group_id, g.name AS group_name,
        -- the group's House race id where there is one (MI-05, AK-AL), as a name may say it
        coalesce(
            (SELECT min(h.race_id) FROM races h
             WHERE h.office = 'house' AND h.state = g.state AND h.district = g.district),
            g.state || coalesce('-' || lpad(CAST(g.district AS VARCHAR), 2, '0'), '')
        ) AS group_area,
        e.requests_national,
        group_in_race(g.state, g.district, r.office, r.state, r.district) AS local
    FROM endorsements e
    JOIN candidates c ON c.candidate_id = e.candidate_id
    JOIN races r ON r.race_id = c.race_id
    JOIN groups g ON g.group_id = e.group_id
    WHERE e.wave_id = w
), requested AS (
    SELECT DISTINCT wave_id, race_id, candidate_id FROM endorsed WHERE requests_national
), per_candidate AS (
    SELECT candidate_id,
        count(*) FILTER (WHERE local) AS local_groups,
        list(group_name ORDER BY group_name, group_id) FILTER (WHERE local) AS local_group_names,
        count(*) FILTER (WHERE local AND requests_national) AS requesting_groups,
        list(group_name ORDER BY group_name, group_id)
            FILTER (WHERE local AND requests_national) AS requesting_group_names,
        count(*) FILTER (WHERE NOT local) AS outside_groups,
        list(CASE WHEN contains(group_name, '(' || group_area || ')') THEN group_name
                  ELSE group_name || ' (' || group_area || ')' END ORDER BY group_name, group_id)
            FILTER (WHERE NOT local) AS outside_endorsements,
        bool_or(requests_national AND NOT local) AS outside_request
    FROM endorsed
    GROUP BY candidate_id
), conflicts AS (
    -- groups of the race's jurisdiction backing another candidate of the race in the wave
    SELECT q.candidate_id,
        count(DISTINCT o.group_id) AS conflicting_groups,
        list(o.group_name || ' → ' || o.candidate_id ORDER BY o.candidate_id, o.group_name,
             o.group_id) AS conflicts
    FROM requested q
    JOIN endorsed o ON o.race_id = q.race_id AND o.candidate_id <> q.candidate_id AND o.local
    GROUP BY q.candidate_id
), ballot_rows AS (
    SELECT candidate_id FROM ballot(w)
)
SELECT q.wave_id, q.race_id, r.office, r.state, r.district,
    q.candidate_id, c.name, c.party, c.first_time, c.incumbent,
    p.local_groups,
    coalesce(p.local_group_names, []) AS local_group_names,
    p.requesting_groups,
    coalesce(p.requesting_group_names, []) AS requesting_group_names,
    coalesce(k.conflicting_groups, 0) AS conflicting_groups,
    coalesce(k.conflicts, []) AS conflicts,
    p.outside_groups,
    coalesce(p.outside_endorsements, []) AS outside_endorsements,
    v.partner_endorsements,
    v.status AS vetting_status,
    v.questionnaire,
    b.candidate_id IS NOT NULL AS on_ballot,
    CASE
        WHEN p.requesting_groups = 0 THEN 'no_local_request'
        WHEN v.candidate_id IS NULL THEN 'no_vetting'
        WHEN v.status <> 'cleared' THEN 'not_cleared'
        WHEN v.questionnaire <> 'passed' THEN 'questionnaire'
        ELSE 'on_ballot'
    END AS ballot_rule,
    CASE
        WHEN p.requesting_groups = 0 THEN
            'off the ballot: no national request from a group in the jurisdiction'
            || CASE WHEN p.outside_request THEN ' (only from outside it)' ELSE '' END
        WHEN v.candidate_id IS NULL THEN 'off the ballot: no vetting row for wave ' || q.wave_id
        WHEN v.status <> 'cleared' THEN
            'off the ballot: vetting status is ' || v.status || ', not cleared'
        WHEN v.questionnaire <> 'passed' THEN
            'off the ballot: questionnaire ' || v.questionnaire || ', not passed'
        ELSE 'on the ballot: requested by ' || CAST(p.requesting_groups AS VARCHAR)
            || ' group(s) in the jurisdiction, vetting cleared, questionnaire passed'
    END AS reason
FROM requested q
JOIN races r ON r.race_id = q.race_id
JOIN candidates c ON c.candidate_id = q.candidate_id
JOIN per_candidate p ON p.candidate_id = q.candidate_id
LEFT JOIN conflicts k ON k.candidate_id = q.candidate_id
LEFT JOIN vetting v ON v.candidate_id = q.candidate_id AND v.wave_id = q.wave_id
LEFT JOIN ballot_rows b ON b.candidate_id = q.candidate_id
ORDER BY q.race_id, q.candidate_id;

-- The funnel of wave w: candidates at each stage, each stage within the one before.
-- "endorsed locally": an endorsement in w by a group in the race's jurisdiction.
CREATE OR REPLACE TEMP MACRO docket_funnel(w) AS TABLE
WITH local AS (
    SELECT e.candidate_id, bool_or(e.requests_national) AS requested
    FROM endorsements e
    JOIN candidates c ON c.candidate_id = e.candidate_id
    JOIN races r ON r.race_id = c.race_id
    JOIN groups g ON g.group_id = e.group_id
    WHERE e.wave_id = w AND group_in_race(g.state, g.district, r.office, r.state, r.district)
    GROUP BY e.candidate_id
), staged AS (
    SELECT l.candidate_id, l.requested,
        l.requested AND v.candidate_id IS NOT NULL AS vetted,
        l.requested AND coalesce(v.status = 'cleared', false) AS cleared,
        l.requested AND coalesce(v.status = 'cleared' AND v.questionnaire = 'passed', false)
            AS passed
    FROM local l
    LEFT JOIN vetting v ON v.candidate_id = l.candidate_id AND v.wave_id = w
)
SELECT count(*) AS endorsed_locally,
    count(*) FILTER (WHERE requested) AS requested,
    count(*) FILTER (WHERE vetted) AS vetted,
    count(*) FILTER (WHERE cleared) AS cleared,
    count(*) FILTER (WHERE passed) AS questionnaire_passed
FROM staged;
