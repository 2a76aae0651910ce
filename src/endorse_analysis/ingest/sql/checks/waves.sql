-- A wave closes after it opens.
SELECT rowid, 'closes_at', 'is not after opens_at', NULL
FROM t_waves
WHERE closes_at <= opens_at
ORDER BY rowid
