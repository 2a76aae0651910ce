"""A report's code cells run in one call, in the IPython shell at hand.

In: a notebook Papermill has parameterized (its engine `kernels.WarmEngine` hands it
over). Out: for each cell run, its outputs, execution count, start and end, and whether
it failed; the engine gives them back to Papermill's execution manager, which records
them as it does for any engine. Execution stops at the first cell that fails.

A warm kernel runs `run_cells_file` in one request per report instead of one per cell
(the cells' round trips were most of what the notebook machinery cost a page); a single
`report` runs `run_cells` in this process's own shell. Only the standard library is
imported at the top: the kernel imports this module.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from typing import Any


def _now() -> str:
    return datetime.now(UTC).isoformat()


class _Capture:
    """Where a cell's outputs go while it runs: printed text, displayed objects, the value
    of its last line and its error, each as a notebook output."""

    def __init__(self, shell: Any, count: int) -> None:
        from IPython.core.displayhook import DisplayHook
        from IPython.core.displaypub import DisplayPublisher

        self.shell, self.count = shell, count  # the cell's execution count
        self.outputs: list[dict] = []
        capture = self

        class Publisher(DisplayPublisher):
            def publish(self, data, metadata=None, *args, transient=None, update=False, **kw):
                capture.outputs.append(
                    {"output_type": "display_data", "data": data, "metadata": metadata or {}}
                )

            def clear_output(self, wait=False):
                capture.outputs.clear()

        class Hook(DisplayHook):
            def start_displayhook(self):
                pass

            def write_output_prompt(self):
                pass

            def write_format_data(self, format_dict, md_dict=None):
                capture.outputs.append(
                    {
                        "output_type": "execute_result",
                        "data": format_dict,
                        "metadata": md_dict or {},
                        "execution_count": capture.count,
                    }
                )

            def finish_displayhook(self):
                pass

        self.publisher = Publisher(shell=shell)
        self.hook = Hook(shell=shell, cache_size=0)

    def stream(self, name: str) -> Any:
        capture = self

        class Stream:
            encoding = "utf-8"

            def write(self, text: str) -> int:
                if not text:
                    return 0
                last = capture.outputs[-1] if capture.outputs else None
                if last and last["output_type"] == "stream" and last["name"] == name:
                    last["text"] += text
                else:
                    capture.outputs.append({"output_type": "stream", "name": name, "text": text})
                return len(text)

            def flush(self) -> None:
                pass

            def isatty(self) -> bool:
                return False

            def writelines(self, lines) -> None:
                for line in lines:
                    self.write(line)

        return Stream()

    def error(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
        self.outputs.append(
            {
                "output_type": "error",
                "ename": str(etype.__name__),
                "evalue": str(evalue),
                "traceback": list(stb),
            }
        )

    def __enter__(self) -> _Capture:
        shell = self.shell
        replacements = [
            (shell, "display_pub", self.publisher),
            (shell, "displayhook", self.hook),
            (shell.display_trap, "hook", self.hook),
            (sys, "displayhook", self.hook),
            (sys, "stdout", self.stream("stdout")),
            (sys, "stderr", self.stream("stderr")),
        ]
        self.saved = [(owner, name, getattr(owner, name)) for owner, name, _ in replacements]
        for owner, name, value in replacements:
            setattr(owner, name, value)
        shell._showtraceback = self.error  # the shell's own traceback text, as an output
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, value in self.saved:
            setattr(owner, name, value)
        del self.shell._showtraceback


def run_cells(nb: dict, shell: Any) -> list[dict | None]:
    """Run the notebook's code cells in order in `shell`; for each cell (markdown too, as
    Papermill marks every cell it reaches) what happened, None past the first failure."""
    results: list[dict | None] = []
    failed = False
    for cell in nb["cells"]:
        if failed:
            results.append(None)
            continue
        started, clock = _now(), time.perf_counter()
        if cell.get("cell_type") != "code":
            results.append(
                {
                    "code": False,
                    "start_time": started,
                    "end_time": started,
                    "duration": 0.0,
                    "failed": False,
                }
            )
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        count = shell.execution_count
        with _Capture(shell, count) as capture:
            result = shell.run_cell(source, store_history=True)
        outputs = capture.outputs
        error = next((o for o in outputs if o["output_type"] == "error"), None)
        if not result.success and error is None:  # e.g. a syntax error before the cell ran
            err = result.error_before_exec or result.error_in_exec
            outputs.append(
                {
                    "output_type": "error",
                    "ename": type(err).__name__,
                    "evalue": str(err),
                    "traceback": [],
                }
            )
            error = outputs[-1]
        failed = error is not None
        results.append(
            {
                "code": True,
                "outputs": outputs,
                "execution_count": count,
                "start_time": started,
                "end_time": _now(),
                "duration": time.perf_counter() - clock,
                "failed": failed,
            }
        )
    return results


def run_cells_file(source: str, target: str) -> None:
    """`run_cells` inside a warm kernel: the parameterized notebook is read from `source`
    and what each cell did is written to `target` as JSON."""
    from IPython import get_ipython

    with open(source, encoding="utf-8") as file:
        nb = json.load(file)
    results = run_cells(nb, get_ipython())
    try:
        with open(target, "w", encoding="utf-8") as file:
            json.dump(results, file, ensure_ascii=False, default=_json_default)
    except OSError as err:  # a full disk, a file-size limit: said as the parent's own
        failure = {"errno": err.errno, "strerror": err.strerror, "filename": err.filename}
        print(FAILURE_MARK + json.dumps(failure))


FAILURE_MARK = "endorse-cells-not-written:"


def raise_failure(printed: str) -> None:
    """Raise again the OSError `run_cells_file` printed, if it printed one."""
    for line in printed.splitlines():
        if line.startswith(FAILURE_MARK):
            failure = json.loads(line[len(FAILURE_MARK) :])
            raise OSError(failure["errno"], failure["strerror"], failure["filename"])


def _json_default(value: object) -> object:
    """A displayed value JSON cannot hold, as Jupyter's own messages carry it: numbers as
    numbers, times and dates in ISO 8601, bytes in base64, anything else as its text."""
    import base64
    import numbers
    from datetime import date

    if isinstance(value, bool | numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    return str(value)


def json_safe(results: list[dict | None]) -> list[dict | None]:
    """The cells' results as a kernel would send them: plain JSON values only."""
    return json.loads(json.dumps(results, ensure_ascii=False, default=_json_default))


def kernel_request(source: str, target: str) -> str:
    """The code a warm kernel runs for one report: `run_cells_file`, binding no name in
    the notebook's namespace."""
    return (
        "__import__('endorse_analysis.reports.cells', fromlist=['run_cells_file'])"
        f".run_cells_file({source!r}, {target!r})"
    )


def language_info() -> dict:
    """What nbclient records of an IPython kernel's language, for the executed copy."""
    return {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": ".".join(map(str, sys.version_info[:3])),
    }


def _split_lines(nb: dict) -> None:
    """Multi-line text as lists of lines and no transient field, as nbformat writes it."""

    def split(text: object) -> object:
        return text.splitlines(keepends=True) if isinstance(text, str) else text

    nb.get("metadata", {}).pop("orig_nbformat", None)
    for cell in nb["cells"]:
        cell["source"] = split(cell["source"])
        for output in cell.get("outputs", []):
            output.pop("transient", None)
            if "text" in output:
                output["text"] = split(output["text"])
            for mime, value in output.get("data", {}).items():
                if isinstance(value, str) and (mime.startswith("text/") or mime.endswith("+xml")):
                    output["data"][mime] = split(value)


def notebook_json(nb: dict) -> str:
    """The notebook as nbformat writes it (the same JSON, without its deep copy)."""
    _split_lines(nb)
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
