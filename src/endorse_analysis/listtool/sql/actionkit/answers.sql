-- The answer field of the actions (core_actionfield.parent_id is the action), by its name
-- only: joining core_action on the server costs more than reading the few rows of the
-- field on other pages, which the staging's join with the ballot pages' actions drops.
SELECT parent_id, value FROM core_actionfield WHERE name = {field}
