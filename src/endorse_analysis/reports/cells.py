"""A report notebook executed in one call, cell by cell, in the IPython shell at hand.

In: the notebook's path, its parameters (text) and where to write the executed copy.
Out: that copy, as Papermill would write it: the parameters injected in a cell tagged
`injected-parameters` after the one tagged `parameters`, every code cell's outputs,
execution count and timings, and Papermill's metadata. Execution stops at the first cell
that fails; its error is that cell's last output.

A warm kernel runs `run_notebook` in one request per report instead of one per cell (the
cells' round trips were most of what the notebook machinery cost a page); a single
`report` runs it in this process's own shell. Only the standard library is imported at
the top: the kernel imports this module.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

INJECTED = "injected-parameters"
PAPERMILL_VERSION = "2.7.0"  # the metadata's shape: Papermill's, so tools that read it agree


class CellError(RuntimeError):
    """A cell of the notebook raised: its exception's name and value."""

    def __init__(self, ename: str, evalue: str) -> None:
        super().__init__(f"{ename}: {evalue}")
        self.ename, self.evalue = ename, evalue


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _literal(value: object) -> str:
    """A parameter as Papermill's Python translator writes it."""
    if isinstance(value, str):
        text = value.encode("unicode_escape").decode("utf-8").replace('"', r"\"")
        return f'"{text}"'
    return repr(value)


def inject_parameters(nb: dict, parameters: dict[str, Any]) -> None:
    """Insert the parameters cell Papermill would, after the cell tagged `parameters`."""
    source = "# Parameters\n" + "".join(f"{k} = {_literal(v)}\n" for k, v in parameters.items())
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": uuid.uuid4().hex[:8],
        "metadata": {"tags": [INJECTED]},
        "outputs": [],
        "source": source,
    }
    cells = [c for c in nb["cells"] if INJECTED not in c.get("metadata", {}).get("tags", [])]
    at = next(
        (
            i + 1
            for i, c in enumerate(cells)
            if "parameters" in c.get("metadata", {}).get("tags", [])
        ),
        0,
    )
    nb["cells"] = [*cells[:at], cell, *cells[at:]]


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
        self.saved = (
            shell.display_pub,
            shell.displayhook,
            shell.display_trap.hook,
            sys.displayhook,
            sys.stdout,
            sys.stderr,
        )
        shell.display_pub = self.publisher
        shell.displayhook = shell.display_trap.hook = sys.displayhook = self.hook
        sys.stdout, sys.stderr = self.stream("stdout"), self.stream("stderr")
        shell._showtraceback = self.error  # the shell's own traceback text, as an output
        return self

    def __exit__(self, *exc: object) -> None:
        shell = self.shell
        (
            shell.display_pub,
            shell.displayhook,
            shell.display_trap.hook,
            sys.displayhook,
            sys.stdout,
            sys.stderr,
        ) = self.saved
        del shell._showtraceback


def execute_cells(nb: dict, shell: Any) -> CellError | None:
    """Run the notebook's code cells in `shell`, in order, recording each one's outputs;
    stop at the first that fails and return its error."""
    failed: CellError | None = None
    for cell in nb["cells"]:
        if cell.get("cell_type") != "code":
            continue
        meta = cell.setdefault("metadata", {})
        if failed is not None:
            cell["outputs"], cell["execution_count"] = [], None
            meta["papermill"] = {"exception": None, "status": "pending"} | _no_times()
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        started, clock = _now(), time.perf_counter()
        count = shell.execution_count
        with _Capture(shell, count) as capture:
            result = shell.run_cell(source, store_history=True)
        cell["outputs"], cell["execution_count"] = capture.outputs, count
        error = next((o for o in capture.outputs if o["output_type"] == "error"), None)
        if not result.success and error is None:  # e.g. a syntax error before the cell ran
            err = result.error_before_exec or result.error_in_exec
            error = {"ename": type(err).__name__, "evalue": str(err)}
        meta["papermill"] = {
            "duration": time.perf_counter() - clock,
            "end_time": _now(),
            "exception": error is not None,
            "start_time": started,
            "status": "failed" if error is not None else "completed",
        }
        if error is not None:
            failed = CellError(error["ename"], error["evalue"])
    return failed


def _no_times() -> dict:
    return {"duration": None, "end_time": None, "start_time": None}


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


def run_notebook(notebook: str, output: str, parameters: dict[str, Any]) -> None:
    """Execute `notebook` with `parameters` in this process's IPython shell and write the
    executed copy to `output` (also when a cell fails: then its CellError is raised)."""
    from IPython import get_ipython

    shell = get_ipython()
    with open(notebook, encoding="utf-8") as file:
        nb = json.load(file)
    inject_parameters(nb, parameters)
    started, clock = _now(), time.perf_counter()
    nb.setdefault("metadata", {})["language_info"] = _language_info()
    failed = execute_cells(nb, shell)
    nb["metadata"]["papermill"] = {
        "default_parameters": {},
        "duration": time.perf_counter() - clock,
        "end_time": _now(),
        "environment_variables": {},
        "exception": failed is not None or None,
        "input_path": notebook,
        "output_path": output,
        "parameters": dict(parameters),
        "start_time": started,
        "version": PAPERMILL_VERSION,
    }
    text = notebook_json(nb)
    with open(output, "w", encoding="utf-8") as file:
        file.write(text)
    if failed is not None:
        raise failed


def _language_info() -> dict:
    return {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": ".".join(map(str, sys.version_info[:3])),
    }


def kernel_request(notebook: str, output: str, parameters: dict[str, Any]) -> str:
    """The code a warm kernel runs for one report: `run_notebook`, binding no name in the
    notebook's namespace; a failed cell is reported on the request's stdout as JSON."""
    return (
        "__import__('endorse_analysis.reports.cells', fromlist=['run_in_kernel'])"
        f".run_in_kernel({notebook!r}, {output!r}, {parameters!r})"
    )


def run_in_kernel(notebook: str, output: str, parameters: dict[str, Any]) -> None:
    """`run_notebook` inside a warm kernel: a failed cell, or a file that could not be
    written, is printed as one JSON line, which the client raises again (`raise_failure`)."""
    try:
        run_notebook(notebook, output, parameters)
    except CellError as err:
        print(FAILURE_MARK + json.dumps({"ename": err.ename, "evalue": err.evalue}))
    except OSError as err:  # a full disk, a file-size limit: said as the parent's own
        failure = {"errno": err.errno, "strerror": err.strerror, "filename": err.filename}
        print(FAILURE_MARK + json.dumps(failure))


def raise_failure(printed: str) -> None:
    """Raise what `run_in_kernel` printed as failed, if anything."""
    for line in printed.splitlines():
        if line.startswith(FAILURE_MARK):
            failure = json.loads(line[len(FAILURE_MARK) :])
            if "ename" in failure:
                raise CellError(failure["ename"], failure["evalue"])
            raise OSError(failure["errno"], failure["strerror"], failure["filename"])


FAILURE_MARK = "endorse-report-failed:"
