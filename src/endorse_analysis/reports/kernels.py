"""Warm Jupyter kernels for rendering many reports fast.

A `WarmKernel` is a started IPython kernel that has already imported the heavy modules
and rendered one throwaway SVG. Before each report it is put back to the state it had
right after warm-up (`restore_kernel_state`, which runs *inside* the kernel): environment
variables, working directory, pandas and numpy options, the Altair renderer, data
transformer and theme, IPython display formatters, warnings filters, sys.path, random
states, tables on DuckDB's default connection; then `%reset -f` empties the namespace and
the execution counter starts again at 1, as in a fresh kernel.

`WarmEngine` is a Papermill engine (registered as "endorse-warm"): Papermill loads and
parameterizes the notebook and writes the executed copy, as with any engine; the engine
runs all the code cells of a report in one request to the warm kernel (`cells`), so a
page costs one round trip, not one per cell, and hands each cell's outputs back to
Papermill's execution manager. Pass `warm_kernel=` to `papermill.execute_notebook`. An
`InProcessKernel` serves the same engine for a single report, in an IPython shell of the
rendering process.

A kernel must be driven from the thread that started it. This module imports only the
standard library at the top, because the kernel itself imports it for the two
kernel-side functions.
"""

from __future__ import annotations

import os
import re
import sys
import time
from typing import Any

ENGINE_NAME = "endorse-warm"
KERNEL_NAME = "python3"
START_ATTEMPTS = 3
CONTROL_TIMEOUT = 120

WARM_UP_CODE = """
import endorse_analysis.imports as _ea_imports
_ea_imports.skip_iri_parsers()
import endorse_analysis.reports.kernels as _ea_kernels
_ea_kernels.warm_up_kernel()
_ea_kernels.snapshot_kernel_state()
"""

RESET_CODE = """
import endorse_analysis.reports.kernels as _ea_kernels
_ea_kernels.restore_kernel_state()
"""

# --- kernel side: these run inside the kernel process --------------------------------

KERNEL_ARGUMENTS = [
    "--HistoryManager.hist_file=:memory:",
    "--IPKernelApp.log_level=CRITICAL",  # no "TCP without encryption" or shutdown notices
]

_SNAPSHOT: dict[str, Any] = {}


FONTS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "present", "fonts")
_TINY_CHART = {
    "data": {"values": [{"x": "a", "y": 1}]},
    "mark": "bar",
    "encoding": {
        "x": {"field": "x", "type": "nominal"},
        "y": {"field": "y", "type": "quantitative"},
    },
}
# The marks of a race page's charts (bars with a threshold rule and labels, points, a time
# line): drawing each once compiles their code paths before the page needs them.
_WARM_CHARTS = [
    {
        "data": {"values": [{"x": "a", "y": 1}]},
        "layer": [
            {"mark": "bar", "encoding": {"y": {"field": "x", "type": "nominal"},
                                         "x": {"field": "y", "type": "quantitative"}}},
            {"mark": {"type": "rule", "strokeDash": [4, 4]},
             "encoding": {"x": {"datum": 0.6}}},
            {"mark": "text", "encoding": {"y": {"field": "x", "type": "nominal"},
                                          "text": {"field": "y", "type": "quantitative"}}},
        ],
    },
    {
        "data": {"values": [{"x": 0.1, "y": 1, "c": "a"}]},
        "mark": "circle",
        "encoding": {"x": {"field": "x", "type": "quantitative"},
                     "y": {"field": "y", "type": "quantitative"},
                     "color": {"field": "c", "type": "nominal"}},
    },
    {
        "data": {"values": [{"t": "2026-01-01", "y": 1}, {"t": "2026-01-02", "y": 2}]},
        "mark": {"type": "line", "point": True},
        "encoding": {"x": {"field": "t", "type": "temporal"},
                     "y": {"field": "y", "type": "quantitative"}},
    },
]  # fmt: skip


def start_vl_convert(warm_marks: bool = True) -> None:
    """Start vl-convert's JavaScript runtime (about 0.6 s, outside the GIL, so it can go on
    beside imports and queries) with the charts' fonts, by drawing a tiny chart, and with
    `warm_marks` one chart of each kind of mark the pages draw."""
    try:
        import vl_convert as vlc

        vlc.register_font_directory(FONTS_DIR)
        vlc.vegalite_to_svg(_TINY_CHART)
        for spec in _WARM_CHARTS if warm_marks else ():
            vlc.vegalite_to_svg(spec)
    except Exception:  # warm-up only: the notebook will say what is wrong
        pass


def import_for_reports() -> None:
    """Import what the report notebooks import, and build one Altair chart's spec."""
    import importlib

    import altair as alt
    import duckdb  # noqa: F401
    import pandas as pd

    import endorse_analysis  # noqa: F401

    for name in ("endorse_analysis.notebook", "endorse_analysis.present.charts", "vl_convert"):
        try:
            importlib.import_module(name)
        except Exception:  # optional: the notebook will say if it is missing
            pass
    chart = alt.Chart(pd.DataFrame({"x": ["a", "b"], "y": [1, 2]})).mark_bar()
    chart.encode(x="x", y="y").to_dict()


def warm_up_kernel() -> None:
    """Import what the report notebooks import and render one SVG chart."""
    start_vl_convert()
    import_for_reports()


def _pandas_options() -> dict[str, Any]:
    import warnings

    import pandas as pd
    from pandas._config import config

    values = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key in config._registered_options:
            try:
                values[key] = pd.get_option(key)
            except Exception:
                continue
    return values


def _duckdb_default_objects() -> set[tuple[str, str]] | None:
    try:
        import duckdb

        con = duckdb.default_connection()
        rows = con.execute(
            "SELECT 'TABLE', table_name FROM duckdb_tables() WHERE NOT internal "
            "UNION ALL SELECT 'VIEW', view_name FROM duckdb_views() WHERE NOT internal"
        ).fetchall()
        return set(rows)
    except Exception:
        return None


def _altair_state() -> dict[str, Any]:
    import altair as alt

    state = {
        "renderer": (alt.renderers.active, dict(alt.renderers.options)),
        "transformer": (alt.data_transformers.active, dict(alt.data_transformers.options)),
    }
    try:
        state["theme"] = alt.theme.active
    except Exception:
        pass
    return state


def snapshot_kernel_state(collect: bool = True) -> None:
    """Remember the state to put back: once per warm kernel, right after its warm-up;
    before each report run in this process (there without a full collection first, which
    costs a single report about 60 ms)."""
    import copy
    import decimal
    import random
    import warnings

    import numpy as np
    from IPython import get_ipython

    shell = get_ipython()
    _SNAPSHOT.clear()
    _SNAPSHOT.update(
        environ=dict(os.environ),
        cwd=os.getcwd(),
        sys_path=list(sys.path),
        warnings=list(warnings.filters),
        pandas=_pandas_options(),
        numpy=np.get_printoptions(),
        numpy_errors=np.geterr(),
        decimal=decimal.getcontext().copy(),
        random=random.getstate(),
        np_random=np.random.get_state(),
        altair=_altair_state(),
        duckdb=_duckdb_default_objects(),
        formatters={
            mime: (copy.copy(f.type_printers), copy.copy(f.deferred_printers), f.enabled)
            for mime, f in shell.display_formatter.formatters.items()
        },
    )
    import gc

    if collect:
        gc.collect()
    gc.freeze()  # the objects so far: never scanned again, so each %reset collects fast


def restore_kernel_state() -> None:
    """Put the kernel back to its post-warm-up state, then empty the user namespace."""
    import decimal
    import random
    import warnings

    import numpy as np
    import pandas as pd
    from IPython import get_ipython

    snap = _SNAPSHOT
    shell = get_ipython()
    os.environ.clear()
    os.environ.update(snap["environ"])
    time.tzset()  # the local zone follows TZ again
    os.chdir(snap["cwd"])
    sys.path[:] = snap["sys_path"]
    warnings.filters[:] = snap["warnings"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        current = _pandas_options()
        for key, value in snap["pandas"].items():
            try:
                if key in current and current[key] != value:
                    pd.set_option(key, value)
            except Exception:
                pass
    np.set_printoptions(**snap["numpy"])
    np.seterr(**snap["numpy_errors"])
    decimal.setcontext(snap["decimal"].copy())
    random.setstate(snap["random"])
    np.random.set_state(snap["np_random"])
    import altair as alt

    name, options = snap["altair"]["renderer"]
    alt.renderers.enable(name, **options)
    name, options = snap["altair"]["transformer"]
    alt.data_transformers.enable(name, **options)
    if "theme" in snap["altair"]:
        try:
            alt.theme.enable(snap["altair"]["theme"])
        except Exception:
            pass
    if snap["duckdb"] is not None:
        import duckdb

        con = duckdb.default_connection()
        for kind, name in (_duckdb_default_objects() or set()) - snap["duckdb"]:
            quoted = '"' + name.replace('"', '""') + '"'
            con.execute(f"DROP {kind} IF EXISTS {quoted}")
    for mime, (types, deferred, enabled) in snap["formatters"].items():
        formatter = shell.display_formatter.formatters.get(mime)
        if formatter is not None:
            formatter.type_printers = dict(types)
            formatter.deferred_printers = dict(deferred)
            formatter.enabled = enabled
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    shell.run_line_magic("reset", "-f")
    shell.execution_count = 1


# --- client side: the renderer drives kernels from one thread ------------------------


class KernelError(RuntimeError):
    """A warm kernel could not be started or put back into shape."""


class DeadKernel(RuntimeError):
    """A warm kernel died or timed out during a report: it is restarted for the next."""


class WarmKernel:
    """One started, warmed-up kernel. Use from the thread that created it."""

    def __init__(self, cwd: str | None = None, max_reports: int = 200) -> None:
        self.cwd = cwd or os.getcwd()
        self.max_reports = max_reports
        self.km: Any = None
        self.kc: Any = None
        self.reports = 0
        self.warm_seconds = 0.0
        self._start()

    def _start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        started = time.perf_counter()
        last: Exception | None = None
        for _attempt in range(START_ATTEMPTS):
            km = AsyncKernelManager(kernel_name=KERNEL_NAME, transport="tcp")
            kc = None
            try:
                run_sync(km.start_kernel)(cwd=self.cwd, extra_arguments=list(KERNEL_ARGUMENTS))
                kc = km.client()
                kc.start_channels()
                run_sync(kc.wait_for_ready)(timeout=60)
                kc.allow_stdin = False
                self.km, self.kc = km, kc
                self._run(WARM_UP_CODE)
                self.reports = 0
                self.warm_seconds = time.perf_counter() - started
                return
            except Exception as err:  # retried, then reported
                last = err
                self._stop(km, kc)
                self.km = self.kc = None
        raise KernelError(f"could not start a warm kernel after {START_ATTEMPTS} tries ({last})")

    def _run(self, code: str, timeout: float = CONTROL_TIMEOUT) -> str:
        """Run `code` (no history, no input) and return what it printed; raise KernelError
        if it fails, DeadKernel if the kernel dies or `timeout` passes first."""
        from queue import Empty

        from jupyter_core.utils import run_sync

        msg_id = self.kc.execute(code, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + timeout
        get_shell, get_iopub = run_sync(self.kc.get_shell_msg), run_sync(self.kc.get_iopub_msg)
        reply = None
        while reply is None:
            try:
                msg = get_shell(timeout=1)
            except Empty:
                if not self.alive():
                    raise DeadKernel("the kernel died") from None
                if time.monotonic() > deadline:
                    raise DeadKernel(f"the report took longer than {timeout:.0f} s") from None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                reply = msg
        printed, errors, idle = [], [], False
        while not idle:  # this request's outputs, up to its idle status
            try:
                msg = get_iopub(timeout=max(1.0, deadline - time.monotonic()))
            except Empty:
                break
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                printed.append(content.get("text", ""))
            elif kind == "error":
                errors.append("\n".join(content.get("traceback", [])))
            idle = kind == "status" and content.get("execution_state") == "idle"
        if reply["content"]["status"] != "ok":
            text = re.sub(r"\x1b\[[0-9;]*m", "", "".join(errors) or "".join(printed))
            raise KernelError("kernel code failed: " + text[-2000:])
        return "".join(printed)

    def run_cells(self, nb: dict, timeout: float) -> list[dict | None]:
        """Run a parameterized notebook's cells in one request (cells.run_cells_file),
        after putting the kernel back into shape when it has run a report before."""
        import json
        import tempfile

        from endorse_analysis.reports import cells

        with tempfile.TemporaryDirectory(prefix="endorse-cells-") as scratch:
            source, target = os.path.join(scratch, "in.json"), os.path.join(scratch, "out.json")
            with open(source, "w", encoding="utf-8") as file:
                json.dump(nb, file)
            code = cells.kernel_request(source, target)
            cells.raise_failure(self._run((RESET_CODE if self.reports else "") + code, timeout))
            with open(target, encoding="utf-8") as file:
                return json.load(file)

    def reset(self) -> None:
        """Before a report: recycle if used enough or dead, else restore and %reset."""
        if self.reports >= self.max_reports or not self.alive():
            self.restart()
        elif self.reports:
            self._run(RESET_CODE)

    def ready(self) -> None:
        """Before a report run by `run_cells` (which restores the kernel itself): recycle
        the kernel if used enough or dead."""
        if self.reports >= self.max_reports or not self.alive():
            self.restart()

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        try:
            return bool(self.km is not None and run_sync(self.km.is_alive)())
        except Exception:
            return False

    def restart(self) -> None:
        self.shutdown()
        self._start()

    @staticmethod
    def _stop(km: Any, kc: Any) -> None:
        from jupyter_core.utils import run_sync

        if kc is not None:
            try:
                kc.stop_channels()
            except Exception:
                pass
        if km is not None:
            try:
                run_sync(km.shutdown_kernel)(now=True)
            except Exception:
                pass

    def shutdown(self) -> None:
        self._stop(self.km, self.kc)
        self.km = self.kc = None


class InProcessKernel:
    """An IPython shell in this process, for one report: no kernel process to start and
    warm up, which is most of the time a single `report` takes. What a notebook changes
    in the process (environment, options, the namespace) is put back after it, to the
    state of just before it: the caller's own changes between reports stay."""

    def __init__(self) -> None:
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        if InteractiveShell.initialized():
            raise KernelError("this process already runs an IPython shell")
        config = Config()
        config.HistoryManager.enabled = False  # never the user's IPython history
        caller_main = sys.modules.get("__main__")
        self.shell = InteractiveShell.instance(config=config)
        if caller_main is not None:  # the shell took __main__ for its namespace: give it back
            sys.modules["__main__"] = caller_main
        self.shell.execution_count = 1
        self.reports = 0
        self.max_reports = 1 << 30  # never recycled: it is this process

    def run_cells(self, nb: dict, timeout: float) -> list[dict | None]:
        """Run a parameterized notebook's cells here (cells.run_cells). The process is put
        back into shape afterwards, whatever happened."""
        import gc

        from endorse_analysis.reports import cells

        caller_main = sys.modules.get("__main__")
        sys.modules["__main__"] = self.shell.user_module  # the notebook's, while it runs
        snapshot_kernel_state(collect=False)
        try:
            return cells.json_safe(cells.run_cells(nb, self.shell))
        finally:
            restore_kernel_state()
            gc.unfreeze()  # this process is the caller's: its garbage is collected again
            if caller_main is not None:
                sys.modules["__main__"] = caller_main

    def ready(self) -> None:
        pass

    def shutdown(self) -> None:
        pass


def _engine_class() -> type:
    """The Papermill engine class (built on first use: Papermill is imported only then)."""
    import nbformat
    from papermill.engines import Engine

    class WarmEngine(Engine):
        """Papermill engine running a report's cells on a `WarmKernel` or an
        `InProcessKernel` in one request, then recording each cell with Papermill's
        execution manager as its own nbclient engine does: started, its outputs, failed
        or completed; the cells after a failure stay pending."""

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            execution_timeout=None,
            warm_kernel: WarmKernel | InProcessKernel | None = None,
            **kwargs,
        ):
            if warm_kernel is None:
                raise KernelError("the warm engine needs warm_kernel=")
            from endorse_analysis.reports import cells

            nb = nb_man.nb
            results = warm_kernel.run_cells(nb, execution_timeout or CONTROL_TIMEOUT)
            nb.metadata["language_info"] = cells.language_info()
            for index, (cell, result) in enumerate(zip(nb.cells, results, strict=True)):
                if result is None:
                    break
                nb_man.cell_start(cell, index)
                if result["code"]:
                    cell.outputs = [nbformat.from_dict(o) for o in result["outputs"]]
                    cell.execution_count = result["execution_count"]
                if result["failed"]:
                    nb_man.cell_exception(cell, index)
                nb_man.cell_complete(cell, index)
                # the times the kernel measured, not those of this bookkeeping
                cell.metadata.papermill.update(
                    {k: result[k] for k in ("start_time", "end_time", "duration")}
                )
            return nb

    return WarmEngine


_registered = False


def register_engine() -> None:
    """Make "endorse-warm" known to Papermill (idempotent)."""
    global _registered
    if _registered:
        return
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, _engine_class())
    _registered = True
