-- The program's ballot pages by their short name (core_page.name is unique).
SELECT id, name FROM core_page WHERE name IN ({names})
