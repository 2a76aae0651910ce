"""How much of the machine a load may use: DuckDB's threads and memory limit.

By default a load uses every core this process may run on, and a memory limit that
follows its input: twice the input files' size, at least 512 MiB, at most a quarter of
the machine's memory (its RAM, or the container's limit when lower). Beyond the limit
DuckDB spills to the load's scratch folder, so the peak stays bounded at any scale, and
a hostile file costs no more than its size says (docs/guarantees.md, "Bounded memory").

`load --threads N --memory-limit SIZE`, or ENDORSE_THREADS and ENDORSE_MEMORY_LIMIT,
override either; the values used are recorded in the snapshot (`load_threads`,
`load_memory_limit`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

THREADS_ENV, MEMORY_ENV = "ENDORSE_THREADS", "ENDORSE_MEMORY_LIMIT"
MEMORY_PER_INPUT_BYTE = 2
MEMORY_MIN = 512 << 20
MEMORY_SHARE_OF_MACHINE = Fraction(1, 4)
MAX_THREADS = 1024
_UNITS = {
    "": 1, "b": 1,
    "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
    "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
}  # fmt: skip
_SIZE = re.compile(r"\s*([0-9]{1,20}(?:\.[0-9]{1,20})?)\s*([a-z]*)\s*", re.IGNORECASE | re.ASCII)
_THREADS = re.compile(r"[0-9]{1,4}", re.ASCII)


class ResourceError(ValueError):
    """A --threads or --memory-limit (or its environment variable) that is not usable."""


@dataclass(frozen=True)
class Resources:
    """The threads and memory (bytes) a load gives DuckDB."""

    threads: int
    memory_bytes: int

    @property
    def memory_limit(self) -> str:
        """The limit as DuckDB reads it, in whole MiB."""
        return f"{self.memory_bytes >> 20}MiB"

    def snapshot_entries(self) -> dict[str, str]:
        return {"load_threads": str(self.threads), "load_memory_limit": self.memory_limit}


def machine_threads() -> int:
    """The cores this process may run on: its CPU affinity, and no more than a container's
    CPU quota (cgroup v2 `cpu.max`) allows."""
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        cores = max(1, os.cpu_count() or 1)
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max" and int(period) > 0:
            cores = min(cores, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return cores


def machine_memory() -> int | None:
    """The machine's memory in bytes: its RAM, or the cgroup's limit when lower; None when
    neither can be read."""
    found = []
    try:
        found.append(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        pass
    for limit in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(limit).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and 0 < int(text) < 1 << 60:
            found.append(int(text))
    return min(found) if found else None


def parse_threads(text: str, source: str = "--threads") -> int:
    """A whole number of threads, 1 to MAX_THREADS."""
    value = str(text).strip()
    if not _THREADS.fullmatch(value) or not 1 <= int(value) <= MAX_THREADS:
        raise ResourceError(f"{source} must be a whole number from 1 to {MAX_THREADS}")
    return int(value)


def parse_memory(text: str, source: str = "--memory-limit") -> int:
    """A size in bytes from '4GB', '512MiB', '1.5 GiB' or a plain number of bytes; from
    64 MiB (below it DuckDB cannot load anything) to 1 PiB."""
    found = _SIZE.fullmatch(str(text))
    unit = found.group(2).lower() if found else None
    if found is None or unit not in _UNITS:
        raise ResourceError(
            f"{source} must be a size such as 4GB, 512MiB or 1.5GiB (units: "
            "B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)"
        )
    size = int(Fraction(found.group(1)) * _UNITS[unit])
    if not 64 << 20 <= size <= 1 << 50:
        raise ResourceError(f"{source} must be from 64MiB to 1PiB")
    return size


def connection_limits(environ: Mapping[str, str] = os.environ) -> tuple[int | None, str | None]:
    """The threads and memory limit (as DuckDB reads it) that a reading connection is given
    by ENDORSE_THREADS and ENDORSE_MEMORY_LIMIT (the renderer sets them for its kernels),
    read as a load reads them; None where unset."""
    threads_text = environ.get(THREADS_ENV, "").strip()
    memory_text = environ.get(MEMORY_ENV, "").strip()
    threads = parse_threads(threads_text, THREADS_ENV) if threads_text else None
    memory = parse_memory(memory_text, MEMORY_ENV) if memory_text else None
    return threads, None if memory is None else f"{memory >> 20}MiB"


def default_memory(input_bytes: int, machine: int | None) -> int:
    """Twice the input, at least MEMORY_MIN, at most a quarter of the machine."""
    limit = max(MEMORY_MIN, MEMORY_PER_INPUT_BYTE * input_bytes)
    if machine:
        limit = min(limit, max(MEMORY_MIN, int(machine * MEMORY_SHARE_OF_MACHINE)))
    return limit


def load_resources(
    input_bytes: int,
    threads: int | str | None = None,
    memory_limit: int | str | None = None,
    environ: Mapping[str, str] = os.environ,
) -> Resources:
    """What a load of `input_bytes` uses: the arguments, else the environment, else the
    machine's defaults."""
    if threads is not None:
        threads = parse_threads(str(threads))
    elif environ.get(THREADS_ENV, "").strip():
        threads = parse_threads(environ[THREADS_ENV], THREADS_ENV)
    if memory_limit is not None:
        memory_limit = parse_memory(str(memory_limit))
    elif environ.get(MEMORY_ENV, "").strip():
        memory_limit = parse_memory(environ[MEMORY_ENV], MEMORY_ENV)
    return Resources(
        threads=threads if threads is not None else machine_threads(),
        memory_bytes=(
            memory_limit
            if memory_limit is not None
            else default_memory(input_bytes, machine_memory())
        ),
    )
