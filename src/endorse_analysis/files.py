"""File-system habits shared by the load and the renderer: atomic writes, content hashes,
exclusive locks, and the clean-up of what a killed process left behind.

In: paths. Out: files written whole or not at all, and locks that two processes cannot
both hold.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path


class Busy(RuntimeError):
    """Another process holds the lock: said in one sentence."""


class NotAFile(ValueError):
    """Something other than a regular file (a folder, a FIFO, a device) where one is read
    or replaced: reading it could hang, replacing it would destroy it."""


def regular_file(path: Path, *, follow_links: bool = True) -> os.stat_result | None:
    """The status of the regular file at `path`; None when nothing is there; NotAFile
    for anything else."""
    try:
        info = path.stat() if follow_links else path.lstat()
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        raise NotAFile(f"{path} is not a regular file")
    return info


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `path` whole: a reader sees the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            tmp.write_text(data, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as err:  # a full disk, a file-size limit: the old file stays
        tmp.unlink(missing_ok=True)
        raise CannotWrite(path, err) from None


class CannotWrite(OSError):
    """A file could not be written whole (a full disk, a file-size limit): named, with
    the reason, in one line; the old file, if any, is left as it was."""

    def __init__(self, path: Path, err: BaseException) -> None:
        reason = getattr(err, "strerror", None) or type(err).__name__
        if out_of_space(err):
            reason = "the disk is full or a file-size limit was reached"
        super().__init__(getattr(err, "errno", None), f"could not write {path}: {reason}")
        self.path, self.reason = path, reason

    def __str__(self) -> str:
        return self.strerror or ""


def out_of_space(err: BaseException) -> bool:
    """Whether an error says a disk is full or a file-size limit was reached."""
    if isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return True
    text = str(err)
    return any(words in text for words in ("No space left", "File too large", "Disk quota"))


def fsync_path(path: Path) -> None:
    """Flush a file or folder to disk (best effort)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def exclusive_lock(lock_path: Path, what: str) -> Iterator[None]:
    """Hold an exclusive lock on `lock_path` for the block, or raise Busy at once when
    another process holds it. The kernel releases it when the process ends, killed or not."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"another process is {what}; try again when it has finished") from None
        yield
    finally:
        os.close(fd)


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def remove_entries(
    folder: Path, prefix: str, keep: Callable[[str], bool] = lambda _: False
) -> None:
    """Remove the entries of `folder` whose name starts with `prefix`, but those `keep`
    says to keep (folders whole; a symbolic link itself, never what it points to)."""
    for entry in folder.glob(glob_escape(prefix) + "*"):
        if keep(entry.name):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def remove_stale(folder: Path, prefix: str) -> None:
    """Remove entries of `folder` named `<prefix><pid>...` whose process is gone: what a
    killed run left beside a database, where no lock tells whether its owner still works."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)")

    def alive(name: str) -> bool:
        match = pattern.match(name)
        return not match or process_alive(int(match.group(1)))

    remove_entries(folder, prefix, keep=alive)
