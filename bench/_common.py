"""Timing helpers shared by the benchmarks: run a step many times, take the median, print a ratio
against a bare baseline measured in the same process, and say whether it meets its target."""
from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """Medians, in milliseconds, of the measured code and of its baseline."""

    name: str
    ours_ms: float
    baseline_ms: float
    target_ratio: float

    @property
    def ratio(self) -> float:
        """ours / baseline."""
        return self.ours_ms / self.baseline_ms if self.baseline_ms else float("inf")

    @property
    def ok(self) -> bool:
        """Whether the ratio is within the target."""
        return self.ratio <= self.target_ratio


def samples(step: Callable[[], object], repeats: int, warmup: int = 3) -> list[float]:
    """Seconds taken by each of `repeats` calls of `step` (after `warmup` untimed calls; GC paused while timing)."""
    for _ in range(warmup):
        step()
    times = []
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            start = time.perf_counter()
            step()
            times.append(time.perf_counter() - start)
    finally:
        if enabled:
            gc.enable()
    return times


def median_ms(step: Callable[[], object], repeats: int, warmup: int = 3) -> float:
    """The median time of `step`, in milliseconds."""
    return statistics.median(samples(step, repeats, warmup)) * 1000


def interleaved_medians(ours: Callable[[], object], baseline: Callable[[], object], repeats: int,
                        warmup: int = 3) -> tuple[float, float]:
    """Medians (ms) of two steps timed alternately, so drift in machine load hits both equally."""
    for _ in range(warmup):
        ours()
        baseline()
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeats):
        for step, into in ((ours, a), (baseline, b)):
            start = time.perf_counter()
            step()
            into.append(time.perf_counter() - start)
    return statistics.median(a) * 1000, statistics.median(b) * 1000


def report(name: str, ours_ms: float, baseline_ms: float, target_ratio: float = 2.0) -> Timing:
    """Print one line: medians, ratio and whether it meets the target; returns the Timing."""
    timing = Timing(name, ours_ms, baseline_ms, target_ratio)
    verdict = "ok" if timing.ok else "OVER TARGET"
    print(f"{name:<44} ours {ours_ms:9.3f} ms   bare {baseline_ms:9.3f} ms   "
          f"ratio {timing.ratio:5.2f}x (target <= {target_ratio:g}x)  {verdict}")
    return timing
