"""One refresh at a time: a lock file beside the warehouse, with the holder's pid.

DuckDB itself lets only one process write a database file; the lock turns a second refresh into
a clear message ("a refresh is running since …, pid …") instead of a locking error, and a lock
left by a killed process (its pid is gone) is recognised as stale and taken over.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from pathlib import Path

from fis.errors import WarehouseError


def lock_path(warehouse: Path) -> Path:
    return Path(warehouse).with_name(Path(warehouse).name + ".lock")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


@contextlib.contextmanager
def refresh_lock(warehouse: Path, notes: list[str] | None = None):
    """Hold the warehouse's refresh lock for the duration of the block."""
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    me = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _read(path)
            same_host = holder.get("host") == me["host"]
            if holder and same_host and not _alive(int(holder.get("pid", 0))):
                path.unlink(missing_ok=True)  # stale: its process is gone
                if notes is not None:
                    notes.append(
                        f"verwaiste Sperre von pid {holder.get('pid')} ({holder.get('since')}) aufgehoben"
                    )
                continue
            who = f"pid {holder.get('pid', '?')} on {holder.get('host', '?')} since {holder.get('since', '?')}"
            raise WarehouseError(
                f"another refresh is running ({who}); try again when it has finished "
                f"(lock file {path})"
            ) from None
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(me, f)
        break
    try:
        yield
    finally:
        if _read(path).get("pid") == me["pid"]:
            path.unlink(missing_ok=True)


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
