-- The answer field of the actions on the ballot pages (core_actionfield.parent_id is the
-- action). Restricted to those pages: a field name may be used by other pages too.
SELECT f.id, f.parent_id, f.value
FROM core_actionfield f
JOIN core_action a ON a.id = f.parent_id
WHERE a.page_id IN ({page_ids}) AND f.name = {field}
