"""DataFrames over one connection to one snapshot: the only path to a number. Tallies and
statuses (`tally`), a wave's figures for its pages (`wave`), the docket, results, diff,
enthusiasm and the analyst's explorations."""
