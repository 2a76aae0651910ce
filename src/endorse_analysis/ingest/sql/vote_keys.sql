-- The snapshot's votes: the staged ones, each with its member's integer key (NULL for a
-- member not on the list), looked up once here instead of at every classification.
CREATE TABLE votes AS
SELECT v.vote_id, v.wave_id, v.race_id, v.member_id, v.choice, v.cast_at, m.member_key
FROM t_votes v LEFT JOIN members m ON m.member_id = v.member_id;
