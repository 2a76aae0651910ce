"""Writing the demo's tables as CSV files, through DuckDB's CSV writer.

In: tables (a pandas DataFrame, or an Arrow table with a ``SELECT`` that spells its
columns as the file has them) and a folder. Out: the CSV files (RFC 4180 quoting, one
header line, empty cells for missing values) and the number of data rows of each.

The large tables travel as Arrow arrays of numbers and dictionary codes, and DuckDB
formats them, so millions of rows take seconds. Instants travel as two columns, made by
``eastern_columns``: the Eastern wall-clock time and its UTC offset, which the SQL macro
``eastern`` joins into ``2026-03-05T09:00:00-05:00``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from endorse_analysis.synthetic.times import eastern_wall_clock

_EASTERN_MACRO = """
    CREATE MACRO eastern(wall_clock_seconds, utc_offset) AS
        strftime(make_timestamp(wall_clock_seconds * 1000000), '%Y-%m-%dT%H:%M:%S')
        || utc_offset"""


def dictionary(
    codes: np.ndarray, values: Sequence[str], missing: np.ndarray | None = None
) -> pa.DictionaryArray:
    """A text column as codes into ``values``; NULL where ``missing``."""
    indices = pa.array(np.asarray(codes).astype(np.int32), mask=missing)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(values), type=pa.string()))


def eastern_columns(
    name: str, instants: np.ndarray, missing: np.ndarray | None = None
) -> dict[str, pa.Array]:
    """The columns ``{name}_local`` and ``{name}_offset`` that ``eastern(...)`` writes as
    an instant in Eastern time; NULL where ``missing``."""
    if missing is not None and missing.any():
        # Hidden by the mask; a present instant stands in so that the offsets are looked
        # up only for the years the column covers.
        stand_in = instants[~missing].min() if not missing.all() else 0
        instants = np.where(missing, stand_in, instants)
    wall_clock = eastern_wall_clock(instants)
    return {
        f"{name}_local": pa.array(wall_clock.seconds, mask=missing),
        f"{name}_offset": dictionary(wall_clock.offset, wall_clock.offsets, missing),
    }


class CsvWriter:
    """Writes tables as CSV files into one folder; ``rows`` counts the rows of each file.

    Use as a context manager: it holds one DuckDB connection for all the files.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rows: dict[str, int] = {}
        self._con: duckdb.DuckDBPyConnection | None = None

    def __enter__(self) -> CsvWriter:
        self._con = duckdb.connect()
        try:
            self._con.execute("SET enable_progress_bar = false")
        except duckdb.Error:
            pass  # a Jupyter kernel refuses it without ipywidgets, and draws no bar anyway
        self._con.execute("SET preserve_insertion_order = true")
        self._con.execute(_EASTERN_MACRO)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def write(
        self, filename: str, table: pd.DataFrame | pa.Table, select: str = "SELECT * FROM src"
    ) -> None:
        """Write ``select`` over ``table`` (known to it as ``src``) as ``filename``."""
        assert self._con is not None, "CsvWriter is used in a with block"
        path = str(self.folder / filename).replace("'", "''")
        self._con.register("src", table)
        try:
            self._con.execute(f"COPY ({select}) TO '{path}' (FORMAT csv, HEADER)")
        finally:
            self._con.unregister("src")
        self.rows[filename] = table.num_rows if isinstance(table, pa.Table) else len(table)
