"""Measuring and printing helpers for the benchmark scripts: wall-clock timing (``timed``,
``median_of``, ``p95``), a description of the machine and the commit measured (``machine``,
``load_average``, ``revision``) and plain-text formatting of the report (``table``, ``ms``,
``verdict``). Nothing here depends on Django or on the project's code.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import polars as pl

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def median_of(fn: Callable[[], Any], runs: int, warmup: int = 1) -> tuple[float, list[float]]:
    for _ in range(warmup):
        fn()
    times = [timed(fn)[0] for _ in range(runs)]
    return statistics.median(times), times


def p95(times: list[float]) -> float:
    return float(np.percentile(times, 95))


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": model,
        "cores": f"{os.cpu_count()} logical, {usable} usable, Polars pool {pl.thread_pool_size()}",
        "python": platform.python_version(),
        "polars": pl.__version__,
        "numpy": np.__version__,
        "platform": platform.platform(),
        "load average": load_average(),
        "revision": revision(),
    }


def load_average() -> str:
    """1, 5 and 15-minute load: on a shared 2-core machine, other work inflates timings."""
    try:
        with open("/proc/loadavg", encoding="utf-8") as info:
            return " ".join(info.read().split()[:3])
    except OSError:
        return "unknown"


def revision() -> str:
    """The commit measured, and whether the engine's files differ from it (read-only git)."""
    git = shutil.which("git")
    root = Path(__file__).resolve().parents[1]
    if git is None:
        return "unknown"
    try:
        head = subprocess.run(  # noqa: S603 - git with fixed arguments
            [git, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
        ).stdout.strip()
        changed = subprocess.run(  # noqa: S603 - git with fixed arguments
            [git, "diff", "--quiet", "HEAD", "--", "src/ontrack/eligibility"], cwd=root, check=False
        ).returncode
    except OSError:
        return "unknown"
    return head + (" + uncommitted changes in src/ontrack/eligibility" if changed else "")


def table(headers: list[str], rows: list[list[str]], align_right: bool = True) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    for r in rows:
        out.append(
            "  ".join(
                (c.rjust(w) if i and align_right else c.ljust(w))
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    return "\n".join(out)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"
