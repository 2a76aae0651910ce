"""Run report notebooks with Papermill, on warm kernels, in one or several processes.

In: tasks from `plan`. Out: for each, the executed notebook and its HTML page written
atomically into the wave folder, and a small result (ok or the error in one line).
Papermill parameterizes each notebook and writes its executed copy; its engine runs the
cells on a warm kernel in one request (`kernels.WarmEngine`, `cells`), a single report in
this process's own IPython shell, and `--cold` on a fresh kernel of Papermill's own. With `jobs > 1`
each worker is a separate process (spawn) driving its own warm kernel from one thread;
the DuckDB connections of all kernels together use the machine's cores and about half of
its memory.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import re
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from endorse_analysis.files import CannotWrite, out_of_space, write_atomic
from endorse_analysis.imports import skip_iri_parsers
from endorse_analysis.ingest.resources import (
    MEMORY_ENV,
    THREADS_ENV,
    machine_memory,
    machine_threads,
)

# A warm kernel grows by about 0.3 MB a report after its warm-up (about 360 MB at 1M
# votes); a restart costs 2 to 3.5 s, so a wave's pages are rendered without one.
KERNEL_REPORTS_BEFORE_RECYCLE = 200
CELL_TIMEOUT = 600

_WORKER: dict[str, Any] = {"kernel": None}


def duckdb_limits(jobs: int) -> dict[str, str]:
    """Threads and memory for each kernel's DuckDB connection, so that `jobs` kernels
    together use the machine's cores and about half of its memory."""
    cores = machine_threads()
    total_mb = (machine_memory() or 4 << 30) >> 20
    return {
        THREADS_ENV: str(max(1, cores // max(1, jobs))),
        MEMORY_ENV: f"{max(256, total_mb // 2 // max(1, jobs))}MiB",
    }


def _warm_kernel() -> Any:
    from endorse_analysis.reports import kernels

    kernel = _WORKER.get("kernel")
    limits = {k: os.environ.get(k) for k in (THREADS_ENV, MEMORY_ENV)}  # set by run_tasks
    if kernel is not None and _WORKER.get("limits") != limits:
        shutdown_worker_kernel()  # started for another number of jobs
        kernel = None
    if kernel is None:
        _WORKER["limits"] = limits
        kernel = kernels.WarmKernel(max_reports=KERNEL_REPORTS_BEFORE_RECYCLE)
        _WORKER["kernel"] = kernel
        if not _WORKER.get("atexit"):
            import atexit

            atexit.register(shutdown_worker_kernel)  # kept warm for the next call until exit
            _WORKER["atexit"] = True
    else:
        kernel.ready()
    return kernel


def shutdown_worker_kernel() -> None:
    kernel = _WORKER.pop("kernel", None)
    _WORKER["kernel"] = None
    if kernel is not None:
        kernel.shutdown()


def _worker_init(limits: dict[str, str]) -> None:
    skip_iri_parsers()
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    os.environ.update(limits)


COLD, WARM, IN_PROCESS = "cold", "warm", "in-process"


def _in_process_kernel() -> Any:
    from endorse_analysis.reports import kernels

    kernel = _WORKER.get("in-process")
    if kernel is None:
        kernel = _WORKER["in-process"] = kernels.InProcessKernel()
    return kernel


def inside_ipython() -> bool:
    """Whether this process already runs an IPython shell (a notebook calling the
    renderer): its reports then run on a fresh kernel, never in the caller's namespace."""
    shell = sys.modules.get("IPython.core.interactiveshell")
    return bool(shell and shell.InteractiveShell.initialized() and "in-process" not in _WORKER)


class Warming:
    """Threads getting a single report's machinery ready; `join` them before executing."""

    def __init__(self, *targets: Any) -> None:
        self.threads = [
            threading.Thread(target=_quietly, args=(t,), name="endorse-prewarm", daemon=True)
            for t in targets
        ]
        for thread in self.threads:
            thread.start()

    def join(self) -> None:
        for thread in self.threads:
            thread.join()


def _quietly(target: Any) -> None:
    try:
        target()
    except Exception:  # warm-up only: the report itself says what is wrong
        pass


def _ready_in_process() -> None:
    from endorse_analysis.reports import kernels
    from endorse_analysis.reports.export import markdown_html

    kernels.import_for_reports()
    markdown_html("# warm")
    _in_process_kernel()


def prepare_in_process() -> Warming:
    """Start, in background threads, what the in-process shell's first report would
    otherwise wait for: vl-convert's runtime in one (it runs outside the GIL), and in
    the other the notebook's imports, the page exporter and the shell itself. `report`
    calls it before computing the wave's figures, so that all go on at once."""
    from endorse_analysis.reports import kernels

    return Warming(kernels.start_vl_convert, _ready_in_process)


def execute(notebook: Path, output: Path, parameters: dict[str, str], kernel: str) -> Any:
    """Run `notebook` with `parameters` through Papermill on a `kernel` (COLD: a fresh
    kernel process, WARM: this worker's warm kernel, IN_PROCESS: inside this process) and
    write the executed copy to `output` (also when a cell fails: then Papermill's
    PapermillExecutionError is raised). Returns the executed notebook."""
    import papermill

    from endorse_analysis.reports.kernels import ENGINE_NAME, KERNEL_ARGUMENTS, register_engine

    logging.getLogger("papermill").setLevel(logging.ERROR)
    common = dict(
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        request_save_on_cell_execute=False,
        execution_timeout=CELL_TIMEOUT,
    )
    if kernel == COLD:
        return papermill.execute_notebook(
            str(notebook), str(output), extra_arguments=list(KERNEL_ARGUMENTS), **common
        )
    register_engine()
    running = _in_process_kernel() if kernel == IN_PROCESS else _warm_kernel()
    try:
        nb = papermill.execute_notebook(
            str(notebook), str(output), engine_name=ENGINE_NAME, warm_kernel=running, **common
        )
    except papermill.PapermillExecutionError:
        running.reports += 1  # a cell error leaves the kernel usable
        raise
    except BaseException:
        running.reports = running.max_reports  # dead, timed out or interrupted: restart it
        raise
    running.reports += 1
    return nb


def render_task(task: dict) -> dict:
    """Execute one notebook and export it; returns what happened (never raises)."""
    from endorse_analysis.reports.cells import notebook_json
    from endorse_analysis.reports.export import notebook_html, without_paths

    started = time.perf_counter()
    ipynb, page = Path(task["ipynb"]), Path(task["html"])
    partial = ipynb.with_name(f".{ipynb.stem}.partial-{os.getpid()}.ipynb")
    result = {
        "name": task["name"],
        "ok": False,
        "error": None,
        "seconds": 0.0,
        "fatal": False,
        "kept": False,
    }
    try:
        nb = execute(Path(task["notebook"]), partial, task["parameters"], task["kernel"])
        text = notebook_html(nb, task["title"], task["subtitle"], task["index_href"])
        nb = without_paths(nb, task["parameters"])
        write_atomic(ipynb, notebook_json(nb))
        partial.unlink(missing_ok=True)
        write_atomic(page, text)
        result["ok"] = True
    except Exception as err:  # reported per report, the batch goes on
        from endorse_analysis.reports.kernels import KernelError

        result["error"] = one_line(err)
        if out_of_space(err) and not isinstance(err, CannotWrite):  # papermill's own write
            reason = getattr(err, "strerror", None) or "no space left"
            result["error"] = f"could not write {ipynb}: {reason}"
        result["fatal"] = isinstance(err, KernelError)  # no kernel: stop the batch
        page.unlink(missing_ok=True)
        result["kept"] = _keep_failed_notebook(partial, ipynb, task["parameters"])
    result["seconds"] = time.perf_counter() - started
    return result


def _keep_failed_notebook(partial: Path, ipynb: Path, parameters: dict[str, str]) -> bool:
    """Put a failed run's executed notebook in place of the page's to look at, when it
    was written whole (a readable notebook), without the machine's paths as a page's;
    otherwise remove it and the page's older notebook, so that no cut file and no
    notebook of another run stands for the page."""
    import nbformat

    from endorse_analysis.reports.cells import notebook_json
    from endorse_analysis.reports.export import without_paths

    try:
        nb = nbformat.reads(partial.read_text(encoding="utf-8"), as_version=4)
        write_atomic(ipynb, notebook_json(without_paths(nb, parameters)))
        partial.unlink(missing_ok=True)
        return True
    except Exception:
        partial.unlink(missing_ok=True)
        ipynb.unlink(missing_ok=True)
        return False


def one_line(err: BaseException) -> str:
    name = getattr(err, "ename", None) or type(err).__name__
    value = getattr(err, "evalue", None) or str(err)
    text = f"{name}: {value}".strip()
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return " ".join(text.split())[:300]


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the block, then put back what was there."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _pool(workers: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("spawn")
    limits = duckdb_limits(workers)
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=_worker_init, initargs=(limits,)
    )


def _start_kernel() -> None:
    """In a worker: start its warm kernel now (a failure is the first report's to say)."""
    try:
        _warm_kernel()
    except Exception:
        pass


@contextlib.contextmanager
def early_workers(jobs: int) -> Iterator[ProcessPoolExecutor | None]:
    """For a run that will render most of a wave with several jobs: the workers, their
    kernels already warming up (2 to 3.5 s each) while the run computes the figures.
    None with one job (a kernel is driven from the thread that started it)."""
    if jobs <= 1:
        yield None
        return
    pool = _pool(jobs)
    try:
        for _ in range(jobs):
            pool.submit(_start_kernel)
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_tasks(
    tasks: list[dict], jobs: int, label: str, pool: ProcessPoolExecutor | None = None
) -> list[dict]:
    """Render every task, `jobs` at a time (on `pool` when given, from `early_workers`);
    stop early only when no kernel can start."""
    from tqdm import tqdm

    results: list[dict] = []
    if not tasks:
        return results
    workers = max(1, min(jobs, len(tasks)))
    bar = tqdm(total=len(tasks), desc=label, unit="report", file=sys.stderr, disable=None)
    try:
        if workers == 1 and pool is None:  # in this process; its warm kernel stays warm
            with _environment(duckdb_limits(1)):  # a kernel started now inherits the limits
                for task in tasks:
                    results.append(render_task(task))
                    bar.update()
                    if results[-1]["fatal"]:
                        break
        else:
            with contextlib.nullcontext(pool) if pool else _pool(workers) as running:
                futures = [running.submit(render_task, task) for task in tasks]
                for future in as_completed(futures):
                    if future.cancelled():
                        continue
                    results.append(future.result())
                    bar.update()
                    if results[-1]["fatal"]:
                        for other in futures:
                            other.cancel()
    finally:
        bar.close()
    return results
