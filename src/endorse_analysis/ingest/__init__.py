"""CSV folder -> validated snapshot: the input schema, the CSV scan, the problems a load
names, the parsers and checks, and the all-or-nothing swap."""

from endorse_analysis.ingest.load import LoadResult, load_folder
from endorse_analysis.ingest.problems import LoadRefused, Problem

__all__ = ["LoadRefused", "LoadResult", "Problem", "load_folder"]
