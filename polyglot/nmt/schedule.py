"""Learning-rate schedules as pure functions of the step, and the LR range test.

A schedule that is a function of the step alone needs no state of its own: resuming at
step k gives exactly the learning rate an uninterrupted run had there.

References:
1) Loshchilov & Hutter 2017, "SGDR: Stochastic Gradient Descent with Warm Restarts" --
   cosine annealing restarted every T_i steps, T_{i+1} = T_mult * T_i.
2) Smith 2017, "Cyclical Learning Rates for Training Neural Networks" -- the triangular
   policies and the LR range test.
3) Howard & Gugger 2020 (fastai) -- exponential range, smoothed loss, "steepest" suggestion.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from polyglot.io import write_atomic

KINDS = ("constant", "cosine", "cosine_restarts", "cyclic")
CYCLIC_MODES = ("triangular", "triangular2", "exp_range")


@dataclass
class ScheduleConfig:
    kind: str = "cosine_restarts"  # one of KINDS
    max_lr: float = 3e-4  # the peak; "constant" uses only this
    min_lr: float = 3e-5  # cosine floor; the cyclic policy's base_lr
    warmup_steps: int = 0  # linear ramp to max_lr first; the schedule proper starts after it
    period: int = 1000  # cosine: steps to decay; cosine_restarts: T_0, the first cycle
    t_mult: int = 2  # cosine_restarts: each cycle this many times longer than the last
    cycle_decay: float = 1.0  # cosine_restarts: the peak is multiplied by this per restart
    step_size: int = 500  # cyclic: half a cycle, base -> max
    mode: str = "triangular"  # cyclic: one of CYCLIC_MODES
    gamma: float = 1.0  # cyclic "exp_range": amplitude times gamma ** step

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"schedule kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        if self.mode not in CYCLIC_MODES:
            raise ValueError(f"cyclic mode must be one of {', '.join(CYCLIC_MODES)}, "
                             f"got {self.mode!r}")
        if self.period < 1 or self.step_size < 1 or self.t_mult < 1 or self.warmup_steps < 0:
            raise ValueError("period, step_size and t_mult must be >= 1, warmup_steps >= 0")


def lr_at(config: ScheduleConfig, step: int) -> float:
    """The learning rate of optimizer step `step` (0-based).

    Args:
        config: the schedule.
        step: how many optimizer steps were taken before this one.

    Returns:
        The learning rate.

    Example:
        >>> c = ScheduleConfig(kind="cosine_restarts", max_lr=1.0, min_lr=0.0, period=10)
        >>> [lr_at(c, s) for s in (0, 5, 10, 20, 30)]
        [1.0, 0.5, 1.0, 0.5, 1.0]
    """
    if step < config.warmup_steps:
        return config.max_lr * (step + 1) / config.warmup_steps
    t = step - config.warmup_steps
    hi, lo = config.max_lr, config.min_lr
    if config.kind == "constant":
        return hi
    if config.kind == "cosine":
        return lo + (hi - lo) * (1 + math.cos(math.pi * min(t, config.period) / config.period)) / 2
    if config.kind == "cosine_restarts":
        t_cur, t_i, cycle = t, config.period, 0
        while t_cur >= t_i:  # O(log t) for t_mult > 1
            t_cur, t_i, cycle = t_cur - t_i, t_i * config.t_mult, cycle + 1
        hi = lo + (hi - lo) * config.cycle_decay ** cycle
        return lo + (hi - lo) * (1 + math.cos(math.pi * t_cur / t_i)) / 2
    # cyclic (Smith 2017, Algorithm 1)
    cycle = math.floor(1 + t / (2 * config.step_size))
    x = abs(t / config.step_size - 2 * cycle + 1)
    scale = {"triangular": 1.0, "triangular2": 1 / 2 ** (cycle - 1),
             "exp_range": config.gamma ** t}[config.mode]
    return lo + (hi - lo) * max(0.0, 1 - x) * scale


# ---------------------------------------------------------------------------------------
# LR range test
# ---------------------------------------------------------------------------------------

@dataclass
class RangeTestResult:
    """Loss against learning rate from one short run with a growing LR."""

    lrs: list[float]
    losses: list[float]  # raw loss of each step
    smoothed: list[float]  # bias-corrected exponential moving average of the loss
    suggestion: float | None  # LR at the steepest fall of the smoothed loss

    def rows(self) -> list[tuple[int, float, float, float]]:
        """(step, lr, loss, smoothed) per step."""
        return list(zip(range(len(self.lrs)), self.lrs, self.losses, self.smoothed))

    def format(self) -> str:
        """A plain-text table and the suggestion."""
        lines = [f"{'step':>5}  {'lr':>10}  {'loss':>9}  {'smoothed':>9}"]
        lines += [f"{i:>5}  {lr:>10.3e}  {loss:>9.4f}  {sm:>9.4f}" for i, lr, loss, sm in self.rows()]
        if self.suggestion is not None:
            lines.append(f"suggested max_lr {self.suggestion:.3e} (steepest fall of the loss)")
        return "\n".join(lines)


def exponential_lrs(start: float, end: float, steps: int) -> list[float]:
    """`steps` learning rates from `start` to `end`, evenly spaced in log space."""
    if not 0 < start < end or steps < 2:
        raise ValueError("need 0 < start < end and at least 2 steps")
    return [start * (end / start) ** (i / (steps - 1)) for i in range(steps)]


def range_test(step: Callable[[float], float], lrs: Sequence[float], *,
               smoothing: float = 0.98, diverge: float = 4.0) -> RangeTestResult:
    """Smith's LR range test: one optimizer step per learning rate, in the order given.

    Args:
        step: takes one optimizer step at this LR (on a throwaway copy of the model) and
            returns its loss.
        lrs: increasing learning rates, e.g. from `exponential_lrs`.
        smoothing: weight of the past in the loss's moving average.
        diverge: stop once the smoothed loss exceeds this multiple of the best so far.

    Returns:
        The `RangeTestResult`; it ends early when the loss diverges or becomes non-finite.
    """
    result = RangeTestResult([], [], [], None)
    avg, best = 0.0, math.inf
    for i, lr in enumerate(lrs):
        loss = float(step(lr))
        if not math.isfinite(loss):
            break
        avg = smoothing * avg + (1 - smoothing) * loss
        smooth = avg / (1 - smoothing ** (i + 1))
        result.lrs.append(float(lr))
        result.losses.append(loss)
        result.smoothed.append(smooth)
        best = min(best, smooth)
        if smooth > diverge * best:
            break
    result.suggestion = _steepest(result.lrs, result.smoothed)
    return result


def _steepest(lrs: list[float], smoothed: list[float]) -> float | None:
    """The LR where the smoothed loss falls fastest per log-LR, before its minimum."""
    end = smoothed.index(min(smoothed)) if smoothed else 0
    if end < 2:
        return None
    slopes = [(smoothed[i + 1] - smoothed[i]) / math.log(lrs[i + 1] / lrs[i]) for i in range(end)]
    return lrs[min(range(len(slopes)), key=slopes.__getitem__)]


def write_range_test(result: RangeTestResult, stem: str | Path) -> Path:
    """Plot loss vs LR to ``stem.png`` when matplotlib is importable, else write ``stem.csv``.

    Args:
        result: from `range_test`.
        stem: the output path without its suffix.

    Returns:
        The file written.
    """
    stem = Path(stem)
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        path = stem.with_suffix(".csv")
        lines = [["step", "lr", "loss", "smoothed"]] + [[str(v) for v in r] for r in result.rows()]
        write_atomic(path, "".join(",".join(r) + "\n" for r in lines))
        return path
    import io

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(result.lrs, result.losses, alpha=0.3, label="loss")
    ax.plot(result.lrs, result.smoothed, label="smoothed")
    if result.suggestion is not None:
        ax.axvline(result.suggestion, linestyle="--", color="gray",
                   label=f"suggested {result.suggestion:.2e}")
    ax.set(xscale="log", xlabel="learning rate", ylabel="loss", title="LR range test")
    ax.legend()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    path = stem.with_suffix(".png")
    write_atomic(path, buf.getvalue())
    return path
