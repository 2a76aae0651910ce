SELECT rowid, 'partner_endorsements', 'must be 0 or more', NULL
FROM t_vetting
WHERE partner_endorsements < 0
ORDER BY rowid
