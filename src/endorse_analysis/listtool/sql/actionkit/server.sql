-- The server's own view of time: the zone it was set to and the system's (shown beside
-- the zone program.toml says the DATETIME columns are written in).
SELECT CAST(@@global.time_zone AS CHAR) AS global_zone,
       CAST(@@system_time_zone AS CHAR) AS system_zone
