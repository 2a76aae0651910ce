-- The snapshot's votes: the staged ones (every stored column), each with its member's
-- integer key (NULL for a member not on the list), looked up once here instead of at
-- every classification.
CREATE TABLE votes AS
SELECT v.*, m.member_key
FROM (SELECT COLUMNS(lambda c: NOT starts_with(c, '_')) FROM t_votes) v
LEFT JOIN (SELECT member_id, member_key FROM members) m ON m.member_id = v.member_id;
