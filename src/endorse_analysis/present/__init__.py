"""Words, tables, charts and HTML for people, and the command line's outputs: everything
a reader sees, built from the API's figures. No SQL here."""
