-- A named geographic field (a redistricted map's district) where a user has one.
SELECT id, user_id, value FROM core_usergeofield WHERE name = {field}
