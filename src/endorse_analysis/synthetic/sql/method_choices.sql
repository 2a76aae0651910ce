-- The choices of the ranked and approval waves of the demo (contract §5), from the single
-- choices the draws made (the rows of `plain`, each with its wave's `method`). A vote for
-- one of the contest's candidates ranks, after it, some of the others in an order of its
-- own (a short ranking exhausts); in an approval wave it also approves each other three
-- times in ten. The contest's candidates are those chosen by at least 3 votes and 5% of
-- its votes (the draws choose from the ballot, and off it rarely). Other choices are kept.
WITH chosen AS (
    SELECT wave_id, race_id, choice, count(*) AS votes,
        sum(count(*)) OVER (PARTITION BY wave_id, race_id) AS contest_votes
    FROM plain
    WHERE method <> '' AND choice <> 'NO_ENDORSEMENT'
    GROUP BY wave_id, race_id, choice
), candidates AS (
    SELECT wave_id, race_id, list(choice ORDER BY choice) AS ids
    FROM chosen
    WHERE votes >= 3 AND votes * 20 >= contest_votes
    GROUP BY wave_id, race_id
), written AS (
    SELECT p.*,
        list_transform(
            list_sort(list_transform(
                list_filter(c.ids, lambda id: id <> p.choice),
                lambda id: {'key': hash(p.vote_id, id), 'id': id})),
            lambda o: o.id) AS others,
        coalesce(list_contains(c.ids, p.choice), false) AS is_candidate
    FROM plain p
    LEFT JOIN candidates c ON c.wave_id = p.wave_id AND c.race_id = p.race_id
)
SELECT vote_id, wave_id, race_id, member_id,
    CASE
        WHEN NOT is_candidate THEN choice
        WHEN method = 'ranked'
            THEN array_to_string(
                [choice] || others[1:CAST(hash(vote_id) % (len(others) + 1) AS BIGINT)], '>')
        WHEN method = 'approval'
            THEN array_to_string(
                [choice] || list_filter(others, lambda o: hash(vote_id, o, 'approves') % 10 < 3),
                ';')
        ELSE choice
    END AS choice,
    cast_at
FROM written
