"""Every malformed file in tests/data/bad/ fails `fis refresh` cleanly, through the command line.

For each file (parametrised over the folder): exit code 1, one `Fehler: ` line naming the file
(and its line, where the README table gives one) with the README's expected words, no
traceback, and the warehouse's data unchanged. The expectations live in tests/data/bad/README.md.

Each run gets its own copy of the demo warehouse (the session's `demo_warehouse`, built once with
build_demo), so that the runs can go in parallel: each is a fresh Python process (about 1.3 s,
most of it parsing the catalogue's YAML) plus a `data_checksum` (about 0.6 s).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, data_checksum, make_project

BAD = ROOT / "tests" / "data" / "bad"
README = BAD / "README.md"
REGISTER = ROOT / "data" / "demo" / "gv100ad_demo_301121.ASC"
FILES = sorted(
    p.name for p in BAD.iterdir() if p.is_file() and p.name != README.name and p.name[0] != "."
)
GAP = "GAP"
TEST = "test_bad_file_fails_cleanly"


@dataclass(frozen=True)
class Expect:
    line: int | None
    words: tuple[str, ...]
    gap: bool


def _readme_table() -> dict[str, Expect]:
    """`file` | what is wrong | line or — | `words`… (or "GAP: …") rows of the README."""
    table = {}
    row = re.compile(r"^\|\s*`([^`]+)`\s*\|[^|]*\|\s*(\d+|—)\s*\|(.*)\|\s*$")
    for text in README.read_text(encoding="utf-8").splitlines():
        if m := row.match(text):
            name, line, words = m[1], m[2], m[3].strip()
            assert name not in table, f"README lists {name} twice"
            table[name] = Expect(
                line=None if line == "—" else int(line),
                words=tuple(re.findall(r"`([^`]+)`", words)),
                gap=words.startswith(GAP),
            )
    return table


EXPECT = _readme_table()


def _params():
    for name in FILES:
        gap = name in EXPECT and EXPECT[name].gap
        marks = [pytest.mark.xfail(strict=True, reason="validation gap, see README")] if gap else []
        yield pytest.param(name, id=name, marks=marks)


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    checksum: str


class Runner:
    """Starts the CLI for every selected bad file at once (a thread pool of subprocesses)."""

    def __init__(self, master: Path, work: Path, names: list[str]):
        self.master, self.work, self.names = master, work, names
        self.pool = ThreadPoolExecutor(max_workers=(os.cpu_count() or 2) + 1)
        self.futures: dict[str, Future] = {}
        self.before = data_checksum(master)
        self.env = dict(os.environ)  # each child gets its own copy, built by its own thread

    def result(self, name: str) -> Run:
        if not self.futures:
            for n in self.names:
                self.futures[n] = self.pool.submit(self._run, n)
        if name not in self.futures:
            self.futures[name] = self.pool.submit(self._run, name)
        return self.futures[name].result()

    def _run(self, name: str) -> Run:
        project = make_project(self.work / name.replace(".", "_"))
        warehouse = project / "fis.duckdb"
        shutil.copyfile(self.master, warehouse)
        cmd = [sys.executable, "-m", "fis.cli", "--project", str(project), "refresh",
               str(REGISTER), str(BAD / name)]  # fmt: skip
        proc = _start(cmd, project, self.env)
        run = Run(proc.returncode, proc.stdout, proc.stderr, data_checksum(warehouse))
        warehouse.unlink()  # 16 MB each; the checksum is all the test needs
        return run


def _start(cmd: list[str], cwd: Path, env: dict[str, str], tries: int = 3):
    """Runs the command; a start that fails with EFAULT ("Bad address") is tried again.

    On CI and on this VM, one of the ~40 processes started at once from the pool's threads
    sometimes failed in `execve` with EFAULT before the child ran a line of Python (CPython
    starts them with vfork, sharing the parent's memory while other threads move it). The
    command never ran then, so trying it again is exact; any other error is raised.
    """
    for attempt in range(tries):
        try:
            return subprocess.run(
                cmd, capture_output=True, text=True, encoding="utf-8", errors="replace",
                cwd=cwd, env=env, timeout=300,
            )  # fmt: skip
        except OSError as e:
            if e.errno != errno.EFAULT or attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


@pytest.fixture(scope="module")
def runner(request, demo_warehouse, tmp_path_factory):
    """A copy of the session's demo warehouse (built once with build_demo) and its checksum."""
    work = tmp_path_factory.mktemp("bad_input")
    master = work / "demo.duckdb"
    shutil.copyfile(demo_warehouse.warehouse, master)
    selected = [
        item.callspec.params["name"]
        for item in request.session.items
        if getattr(item, "originalname", "") == TEST and item.module.__name__ == __name__
    ]
    r = Runner(master, work, selected)
    yield r
    r.pool.shutdown(cancel_futures=True)


def test_corpus_is_complete():
    assert len(FILES) >= 30
    missing = [f for f in FILES if f not in EXPECT]
    assert not missing, f"add a row to {README} for: {', '.join(missing)}"
    stale = [f for f in EXPECT if f not in FILES]
    assert not stale, f"{README} lists files that do not exist: {', '.join(stale)}"
    for name, e in EXPECT.items():
        assert e.gap or e.words, f"{name}: no expected words in the README"


@pytest.mark.parametrize("name", _params())
def test_bad_file_fails_cleanly(runner, name):
    expect = EXPECT.get(name)
    assert expect is not None, f"add a row for {name} to {README}"
    run = runner.result(name)
    path = str(BAD / name)
    assert "Traceback" not in run.stderr + run.stdout, run.stderr
    assert run.returncode == 1, (run.returncode, run.stdout, run.stderr)
    lines = [ln for ln in run.stderr.splitlines() if not ln.startswith("  ")]
    assert len(lines) == 1, run.stderr
    msg = lines[0]
    assert msg.startswith("Fehler: "), msg
    assert path in msg, msg
    if expect.line is not None:
        assert f"{path}:{expect.line}: " in msg, msg
    else:
        assert f"{path}: " in msg, msg
    for word in expect.words:
        assert word in msg, f"{word!r} not in {msg!r}"
    assert run.checksum == runner.before, "a failed refresh changed the warehouse's data"
